"""course_utils.validation.checked: the declarative argument check every public helper states once.

Each kind of spec is tested with a value it accepts (and what the body receives) and with one it refuses (the
exact message); specs that cannot be read fail when the function is decorated, not when a learner calls it.
"""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

from course_utils.validation import checked


@checked(x="(batch, T, features) floats", kernel="(features, 4*units) floats",
         recurrent_kernel="(units, 4*units) floats", bias="(4*units,) floats", h0="(batch, units) floats or zeros",
         c0="(batch, units) floats or None")
def cell(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    """Returns what the body receives."""
    return x, kernel, recurrent_kernel, bias, h0, c0


RNG = np.random.default_rng(0)
GOOD = dict(x=np.zeros((2, 3, 5)), kernel=np.zeros((5, 12)), recurrent_kernel=np.zeros((3, 12)), bias=np.zeros(12))


def raises(error, message, function, *args, **kwargs):
    with pytest.raises(error, match=re.escape(message)) as caught:
        function(*args, **kwargs)
    return str(caught.value)


def test_the_body_receives_float64_arrays_and_the_defaults():
    x, kernel, recurrent_kernel, bias, h0, c0 = cell(GOOD["x"].tolist(), GOOD["kernel"].astype(np.float32),
                                                     GOOD["recurrent_kernel"], list(GOOD["bias"]))
    assert all(isinstance(a, np.ndarray) and a.dtype == np.float64 for a in (x, kernel, recurrent_kernel, bias, h0))
    assert h0.shape == (2, 3) and not h0.any()  # "or zeros": (batch, units) of zeros
    assert c0 is None  # "or None": passed through
    given = np.ones((2, 3))
    np.testing.assert_array_equal(cell(**GOOD, h0=given, c0=given)[4], given)


@pytest.mark.parametrize("change, error, message", [
    (dict(x=np.zeros((2, 3))), ValueError, "x must have 3 dimension(s), got shape (2, 3)"),
    (dict(x="abc"), TypeError, "x must be an array of numbers, got str 'abc'"),
    (dict(x=np.full((2, 3, 5), np.nan)), ValueError, "x must be finite"),
    (dict(kernel=np.zeros((4, 12))), ValueError, "kernel must have shape (5, 4*units), got (4, 12)"),  # units unfixed
    (dict(kernel=np.zeros((5, 10))), ValueError, "kernel must have shape (5, 4*units), got (5, 10)"),  # not 4*k
    (dict(recurrent_kernel=np.zeros((4, 16))), ValueError, "recurrent_kernel must have shape (3, 12), got (4, 16)"),
    (dict(bias=np.zeros(8)), ValueError, "bias must have shape (12), got (8,)"),
    (dict(h0=np.zeros((3, 3))), ValueError, "h0 must have shape (2, 3), got (3, 3)"),
    (dict(c0=np.zeros((2, 4))), ValueError, "c0 must have shape (2, 3), got (2, 4)"),
    (dict(c0=[[True] * 3] * 2), TypeError, "c0 must hold integers or floats, got dtype bool"),
])
def test_shapes_bind_across_arguments_and_name_the_shape_wanted(change, error, message):
    raises(error, message, cell, **{**GOOD, **change})


def test_arguments_are_checked_in_the_order_listed():
    """The first shape that names a size fixes it: listed first, recurrent_kernel fixes units for kernel."""

    @checked(recurrent_kernel="(units, 4*units) floats", kernel="(features, 4*units) floats")
    def cell_by_recurrent(kernel, recurrent_kernel):
        return kernel.shape

    raises(ValueError, "kernel must have shape (5, 12), got (5, 16)", cell_by_recurrent, np.zeros((5, 16)),
           np.zeros((3, 12)))

    @checked(x="(batch, features) floats", kernel="(features, units) floats")
    def dense(x, kernel):
        return x @ kernel

    raises(ValueError, "kernel must have shape (2, any), got (3, 4)", dense, np.zeros((1, 2)), np.zeros((3, 4)))
    raises(ValueError, "recurrent_kernel must have shape (3, 12), got (4, 16)", cell, **{
        **GOOD, "recurrent_kernel": np.zeros((4, 16))})  # listed after kernel: kernel fixed units = 3


def test_leading_dimensions_ranges_of_values_and_ids():
    @checked(probabilities="(..., V) floats >= 0", ids="(n,) ints in [0, V)", weights="(V,) floats in [0, 1]")
    def pick(probabilities, ids, weights):
        return probabilities, ids, weights

    probabilities, ids, weights = pick(np.full((2, 3, 4), 0.25), [0, 3], [0.0, 0.5, 1.0, 1.0])
    assert probabilities.shape == (2, 3, 4) and ids.dtype.kind == "i" and weights.dtype == np.float64
    assert pick([0.5, 0.5], np.array([1], dtype=np.uint8), [1, 1])[1].tolist() == [1]
    raises(ValueError, "probabilities must be >= 0.0, got values from -0.5 to 1.5", pick, [-0.5, 1.5], [0], [1, 1])
    raises(ValueError, "probabilities must have at least 1 dimension(s), got shape ()", pick, 0.5, [0], [1])
    raises(ValueError, "ids must be in [0, 3], got values from 0 to 4", pick, np.ones(4), [0, 4], np.ones(4))
    raises(TypeError, "ids must be an array of integers, got dtype float64", pick, np.ones(4), [0.0], np.ones(4))
    raises(TypeError, "ids must be an array of integers, got dtype bool", pick, np.ones(4), [True], np.ones(4))
    raises(ValueError, "ids must have 1 dimension(s), got shape (1, 1)", pick, np.ones(4), [[0]], np.ones(4))
    raises(ValueError, "ids must not be empty, got shape (0,)", pick, np.ones(4), np.zeros(0, int), np.ones(4))
    raises(TypeError, "ids must be an array of integers, got list", pick, np.ones(4), [[0], [1, 2]], np.ones(4))
    raises(ValueError, "weights must be in [0.0, 1.0], got values from 0.0 to 2.0", pick, np.ones(2), [0], [0, 2])


def test_scalars_choices_strings_and_alternatives():
    @checked(n="int >= 1", temperature="float in [1e-3, 100]", lag="int in [0, n)", wrt=("h", "c"), name="str",
             forget="float or (n,) floats", anything="any")
    def scalars(n, temperature, lag, wrt="h", name="x", forget=1.0, anything=None):
        return n, temperature, lag, wrt, name, forget, anything

    assert scalars(np.int64(3), 2, 2, forget=[1, 2, 3], anything=object)[:3] == (3, 2.0, 2)
    assert isinstance(scalars(3, 2, 2)[1], float) and scalars(3, 2, 2)[5] == 1.0
    for arguments, error, message in [
        ((0, 1.0, 0), ValueError, "n must be >= 1, got 0"),
        ((True, 1.0, 0), TypeError, "n must be an integer, got bool True"),
        ((2.0, 1.0, 0), TypeError, "n must be an integer, got float 2.0"),
        ((3, 1e-4, 0), ValueError, "temperature must be >= 0.001, got 0.0001"),
        ((3, 101, 0), ValueError, "temperature must be <= 100.0, got 101.0"),
        ((3, float("nan"), 0), ValueError, "temperature must be finite, got nan"),
        ((3, 1.0, 3), ValueError, "lag must be <= 2, got 3"),  # [0, n): a bound read from an earlier argument
        ((3, 1.0, 0, "x"), ValueError, "wrt must be 'h' or 'c', got str 'x'"),
        ((3, 1.0, 0, np.array(["h"])), ValueError, "wrt must be 'h' or 'c', got array of shape (1,)"),
        ((3, 1.0, 0, "h", 7), TypeError, "name must be a string, got int 7"),
        ((3, 1.0, 0, "h", "x", [1, 2]), ValueError, "forget must have shape (3), got (2,)"),  # the last one's error
        ((3, 1.0, 0, "h", "x", "1"), TypeError, "forget must be an array of numbers, got str '1'"),
        ((3, 1.0, 0, "h", "x", None), TypeError, "forget must hold integers or floats, got dtype object"),
    ]:
        raises(error, message, scalars, *arguments)


def test_keras_classes_and_checking_functions():
    keras = pytest.importorskip("keras")

    def lstm_layer(name, value, dims):  # a function may check anything and bind sizes for the arguments after it
        if not isinstance(value, keras.layers.LSTM):
            raise TypeError(f"{name} must be a keras.layers.LSTM, got {type(value).__name__}")
        dims["units"] = value.units
        return value

    @checked(model="keras.Model", layer=lstm_layer, forget="(units,) floats", rng=np.random.Generator)
    def use(model, layer, forget, rng=RNG):
        return model, layer, forget

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    layer = keras.layers.LSTM(3)
    assert use(model, layer, [1, 2, 3])[2].shape == (3,)
    raises(TypeError, "rng must be a Generator, got int 7", use, model, layer, [1, 2, 3], 7)
    raises(TypeError, "model must be a keras.Model, got array of shape (2,)", use, np.zeros(2), layer, [1, 2, 3])
    raises(TypeError, "layer must be a keras.layers.LSTM, got GRU", use, model, keras.layers.GRU(3), [1, 2, 3])
    raises(ValueError, "forget must have shape (3), got (2,)", use, model, layer, [1, 2])


def test_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    @checked(ax="Axes or None")
    def draw(ax=None):
        return ax

    figure, ax = plt.subplots()
    assert draw(ax) is ax and draw() is None
    raises(TypeError, "ax must be a matplotlib Axes or None, got Figure", draw, figure)
    plt.close(figure)


def test_the_decorated_function_keeps_its_signature_name_and_source():
    assert list(inspect.signature(cell).parameters) == ["x", "kernel", "recurrent_kernel", "bias", "h0", "c0"]
    assert cell.__name__ == "cell" and cell.__doc__ == "Returns what the body receives."
    source = inspect.getsource(cell)
    assert source.startswith("@checked(x=") and "return x, kernel" in source  # the spec is part of what is shown
    raises(TypeError, "missing a required argument: 'bias'", cell, GOOD["x"], GOOD["kernel"], GOOD["recurrent_kernel"])


@pytest.mark.parametrize("specs, message", [
    (dict(x="(batch, T) float", y="any"), "x's spec must be '(shape) floats'"),  # "float", not "floats"
    (dict(x="(batch, T+1) floats", y="any"), "x's shape must list sizes, names or k*name (and ... first or last), "
                                             "got 'T+1'"),
    (dict(x="(batch, ..., T) floats", y="any"), "x's shape must list sizes, names or k*name (and ... first or last), "
                                                "got '...'"),
    (dict(x="int > 0", y="any"), "x's range must be '>= a', '<= b', 'in [a, b]', (ints) 'in [a, b)', (floats) "
                                 "'> a', '< b', 'in (a, b)', or '!= 0', got '> 0'"),  # an integer: '>= 1'
    (dict(x="float in (0, 1]", y="any"), "x's range must be"),  # open on both sides or closed on both
    (dict(x="(n, T) strings", y="any"), "x's strings must have one size, as in '(n,) strings'"),
    (dict(x="floats shaped like", y="any"), "x's range must be"),
    (dict(x="float in [0, 1)", y="any"), "x's range must be"),  # [a, b) is for integers only
    (dict(x="int >= 0.5", y="any"), "x's range must be"),  # an integer's bound is an integer
    (dict(x="float or zeros", y="any"), "x's spec must say what a value must be ('zeros' after an array)"),
    (dict(x="None", y="any"), "x's spec must say what a value must be"),
    (dict(x=3, y="any"), "x's spec must be a string, a class, a tuple of choices or a function, got 3"),
    (dict(x="any"), "checked must name every argument of f once: expected ['x', 'y'], got ['x']"),
    (dict(x="any", y="any", z="any"), "checked must name every argument of f once"),
])
def test_a_spec_that_cannot_be_read_fails_when_decorating(specs, message):
    def f(x, y):
        return x, y

    with pytest.raises(TypeError, match=re.escape(message)):
        checked(**specs)(f)


def test_arrays_of_any_shape_shaped_like_another_and_without_zeros():
    """The metrics' specs: y_true of any shape, y_pred of the same; MAPE's y_true with no zero to divide by."""

    @checked(y_true="floats != 0", y_pred="floats shaped like y_true", lower="(n, ...) floats")
    def metric(y_true, y_pred, lower=(0.0,)):
        return y_true, y_pred, lower

    y_true, y_pred, _ = metric([[1, 2]], np.ones((1, 2), np.float32))
    assert y_true.dtype == y_pred.dtype == np.float64 and y_pred.shape == (1, 2)
    assert metric(3.0, 4.0)[1].shape == ()  # any shape: a single number too
    raises(ValueError, "y_pred must have the shape of y_true (2,), got (1,)", metric, [1.0, 2.0], [1.0])
    raises(ValueError, "y_true must hold no zeros, got 2 zero(s)", metric, [0.0, 1.0, 0.0], [1.0, 1.0, 1.0])
    raises(ValueError, "y_pred must be finite", metric, [1.0], [np.nan])
    raises(TypeError, "y_true must be an array of numbers, got str 'ab'", metric, "ab", [1.0])
    raises(ValueError, "lower must have at least 1 dimension(s), got shape ()", metric, [1.0], [1.0], 0.5)
    assert metric([1.0], [1.0], np.zeros((1, 2, 3)))[2].shape == (1, 2, 3)  # '...' last: any trailing sizes

    @checked(x="(n, features, ...) floats", y="(n, ...) floats")
    def samples(x, y):
        return len(x)

    assert samples(np.zeros((4, 2)), np.zeros(4)) == 4
    raises(ValueError, "y must have shape (4, ...), got (3, 1)", samples, np.zeros((4, 2)), np.zeros((3, 1)))
    raises(ValueError, "x must have at least 2 dimension(s), got shape (4,)", samples, np.zeros(4), np.zeros(4))


def test_ranges_open_bounds_and_sums_of_sizes():
    @checked(series="(n,) floats", lookback="int in [1, n]", horizon="int in [1, n - lookback]",
             coverage="float in (0, 1)", rate="float > 0", low="float < 0 or None")
    def windows(series, lookback, horizon, coverage=0.5, rate=1.0, low=None):
        return lookback + horizon

    assert windows(np.zeros(5), 3, 2) == 5
    raises(ValueError, "horizon must be <= n - lookback = 2, got 3", windows, np.zeros(5), 3, 3)
    raises(ValueError, "lookback must be <= 5, got 6", windows, np.zeros(5), 6, 1)
    raises(ValueError, "coverage must be strictly between 0.0 and 1.0, got 1.0", windows, np.zeros(5), 3, 1, 1.0)
    raises(ValueError, "coverage must be strictly between 0.0 and 1.0, got 0.0", windows, np.zeros(5), 3, 1, 0)
    raises(ValueError, "rate must be > 0.0, got 0.0", windows, np.zeros(5), 3, 1, rate=0.0)
    raises(ValueError, "low must be < 0.0, got 0.0", windows, np.zeros(5), 3, 1, low=0.0)
    assert windows(np.zeros(5), 3, 1, 0.999, 1e-9, -1e-9) == 4

    @checked(x="(n,) floats", lag="int in [0, n - 3)")
    def lags(x, lag):
        return lag

    raises(ValueError, "lag must be <= n - 3 - 1 = 1, got 2", lags, np.zeros(5), 2)


def test_a_second_range_bounds_naming_a_float_before_and_divided_bounds():
    """Notebook 08's mel filters: upper_hz above lower_hz and at most half the sample rate."""

    @checked(lower_hz="float >= 0", sample_rate="int >= 1000", upper_hz="float > lower_hz, <= sample_rate / 2",
             frames="int >= 1, <= sample_rate - 1000")
    def filters(lower_hz, sample_rate, upper_hz, frames=1):
        return upper_hz

    assert filters(60.0, 8000, 4000.0) == 4000.0 and filters(0, 8000, 1e-9, 7000) == 1e-9
    raises(ValueError, "upper_hz must be <= sample_rate / 2 = 4000.0, got 4000.5", filters, 60.0, 8000, 4000.5)
    raises(ValueError, "upper_hz must be > 60.0, got 60.0", filters, 60.0, 8000, 60)
    raises(ValueError, "frames must be <= sample_rate - 1000 = 7000, got 7001", filters, 60.0, 8000, 100.0, 7001)
    raises(ValueError, "frames must be >= 1, got 0", filters, 60.0, 8000, 100.0, 0)
    raises(ValueError, "lower_hz must be >= 0.0, got -1.0", filters, -1.0, 8000, 100.0)
    raises(TypeError, "upper_hz must be a real number, got str", filters, 60.0, 8000, "4000")
    for spec in ("float > 0, <= 1 or", "float > 0, <= b"):  # a second range must parse; b is bound by nothing
        with pytest.raises(TypeError, match="x's (range|spec) must|a range names b"):
            checked(x=spec)(lambda x: x)(0.5)


def test_a_size_with_a_minimum_a_sorted_pair_and_a_list_of_arrays():
    """Notebook 08's specs: a clip of at least one frame, a (low, high) pair of decibels, the features of utterances
    of different lengths."""

    @checked(frame_length="int >= 1", audio="(samples >= frame_length,) floats",
             grid="(rows >= 2, columns) floats or None")
    def frames(frame_length, audio, grid=None):
        return audio.size

    assert frames(3, [1, 2, 3]) == 3 and frames(1, [0.5], np.zeros((2, 1))) == 1
    raises(ValueError, "audio must have at least frame_length=4 samples, got 3", frames, 4, [1, 2, 3])
    raises(ValueError, "grid must have at least 2 rows along axis 0, got 1", frames, 1, [0.5], np.zeros((1, 3)))
    raises(ValueError, "audio must have 1 dimension(s), got shape (1, 3)", frames, 1, [[1, 2, 3]])

    @checked(gain_db="(2,) floats in [-60, 100], sorted")
    def gain(gain_db):
        return gain_db

    assert gain((-20, 0.0)).tolist() == [-20.0, 0.0] and gain([5, 5]).tolist() == [5.0, 5.0]
    raises(ValueError, "gain_db must be sorted, each value >= the one before it, got [0.0, -5.0]", gain, (0.0, -5.0))
    raises(ValueError, "gain_db must be in [-60.0, 100.0], got values from 0.0 to 200.0", gain, (0, 200))
    raises(ValueError, "gain_db must have shape (2), got (3,)", gain, (1, 2, 3))

    @checked(features="list of (frames_i, n_mels) floats", bands="int or None")
    def pad(features, bands=None):
        return [f.shape for f in features]

    assert pad([np.ones((3, 4)), np.ones((5, 4))]) == [(3, 4), (5, 4)]
    raises(ValueError, "features[1] must have shape (5, 4), got (5, 3)", pad, [np.ones((3, 4)), np.ones((5, 3))])
    raises(ValueError, "features[0] must have 2 dimension(s), got shape (3,)", pad, [np.ones(3)])
    raises(ValueError, "features must not be empty, got 0 entries", pad, [])
    raises(TypeError, "features must be a list, each entry (frames_i, n_mels) floats, got array of shape (2, 3, 4)",
           pad, np.ones((2, 3, 4)))
    # ", sorted" follows a floats or ints array spec: strings loaded before and crashed in np.diff at call time
    for spec in ("int, sorted", "(n,) strings, sorted", "list of (n,) floatz", "(n >= m >= 2,) floats"):
        with pytest.raises(TypeError, match=r"x(\[0\])?'s (spec|shape) must"):
            checked(x=spec)(lambda x: x)


def test_strings_and_zero_one_labels_bind_the_number_of_examples():
    """The specs of notebook 06's (and 08's) lists of texts and 0/1 labels: one entry per example."""

    @checked(texts="(n,) strings", labels="(n,) 0/1", groups="(n,) strings or None", path="path")
    def examples(texts, labels, groups=None, path="data.csv"):
        return texts, labels

    texts, labels = examples(("good", np.str_("bad")), [True, False])
    assert texts == ["good", "bad"] and type(texts[1]) is str and labels.dtype == np.int64 and labels.tolist() == [1, 0]
    assert examples(np.array(["a"]), np.array([1.0]))[1].tolist() == [1]
    for arguments, error, message in [
        (("good", [1]), TypeError, "texts must be a list of strings, got str"),
        (([1, 2], [1, 0]), TypeError, "texts must be a list of strings, got list"),
        (([], []), ValueError, "texts must not be empty, got 0 strings"),
        ((["a", "b"], [1]), ValueError, "labels must have shape (2), got (1,)"),
        ((["a", "b"], [1, 2]), ValueError, "labels must hold only 0/1 (or False/True), got values from 1 to 2"),
        ((["a", "b"], ["1", "0"]), TypeError, "labels must be an array of 0/1 (or False/True), got dtype <U1"),
        ((["a", "b"], [1, 0], ["x"]), ValueError, "groups must have 2 entries, one per example, got 1"),
        ((["a"], [1], None, 3), TypeError, "path must be a file path (str or pathlib.Path), got int"),
    ]:
        raises(error, message, examples, *arguments)


def test_strings_matching_a_pattern_and_colours():
    """'str matching', '(n,) strings matching' (notebook 08's digit strings) and 'colour' (the drawing helpers)."""
    pytest.importorskip("matplotlib")

    @checked(digits="(n,) strings matching [0-9]+", heard="str matching [0-9]*", face="colour")
    def strings(digits, heard="", face="black"):
        return digits, heard, face

    assert strings(np.array(["477", "0"]), "", "#cfe2f3") == (["477", "0"], "", "#cfe2f3")
    for arguments, error, message in [
        ((["47", "4x"],), ValueError, "digits must hold only strings matching '[0-9]+', got '4x'"),
        ((["47", ""],), ValueError, "digits must hold only strings matching '[0-9]+', got ''"),
        (("477",), TypeError, "digits must be a list of strings, got str"),
        ((["4"], "٤"), ValueError, "heard must match '[0-9]*', got '٤'"),  # an Arabic-Indic four: not 0-9
        ((["4"], 4), TypeError, "heard must be a string, got int 4"),
        ((["4"], "4", "not a colour"), ValueError,
         "face must be a matplotlib colour such as 'black', 'tab:blue' or '#cfe2f3', got 'not a colour'"),
        ((["4"], "4", (0, 0, 1)), ValueError, "face must be a matplotlib colour such as 'black'"),
    ]:
        raises(error, message, strings, *arguments)
    with pytest.raises(TypeError, match="a regular expression after 'matching'"):
        checked(digits="(n,) strings matching [0-9")
    with pytest.raises(TypeError, match="strings take no range, only 'matching"):
        checked(digits="(n,) strings >= 0")


def test_a_string_of_length_n_binds_n():
    """'str of length n' (notebook 05's text and the positions in it): the length binds n for the arguments after it,
    or must agree with an n bound before."""

    @checked(text="str of length characters", values="(characters,) floats", last="int in [1, characters]")
    def colour(text, values, last=1):
        return text, values.shape, last

    assert colour("abc", [1, 2, 3], 3) == ("abc", (3,), 3)
    for arguments, error, message in [
        (("abc", [1.0, 2.0]), ValueError, "values must have shape (3), got (2,)"),
        (("abc", [1.0, 2.0, 3.0], 4), ValueError, "last must be <= 3, got 4"),
        ((["abc"], [1.0]), TypeError, "text must be a string, got list ['abc']"),
        ((3, [1.0]), TypeError, "text must be a string, got int 3"),
    ]:
        raises(error, message, colour, *arguments)

    @checked(values="(n,) floats", text="str of length n")
    def agree(values, text):
        return text

    assert agree([1.0, 2.0], "ab") == "ab"
    raises(ValueError, "text must have 2 characters, the size n the arguments before it have, got 3", agree,
           [1.0, 2.0], "abc")


def test_a_tuple_of_classes_an_empty_list_and_paths():
    """(str, list, tuple): one of those classes (edit_distance); '... or empty': an empty 1-D list passes (a decoded
    label sequence may be empty); 'path' reaches the body as a pathlib.Path."""
    from pathlib import Path

    @checked(sequence=(str, list, tuple), labels="(n,) ints in [-1, 11) or empty", path="path")
    def use(sequence, labels=(), path="data.csv"):
        return sequence, labels, path

    assert use("abc")[0] == "abc" and use([1, 2], [3, -1])[1].tolist() == [3, -1]
    assert use(("a",), [])[1].shape == (0,) and use("a", np.zeros(0))[1].shape == (0,)
    assert use("a")[2] == Path("data.csv") and isinstance(use("a", [], "x.wav")[2], Path)
    for arguments, error, message in [
        ((3,), TypeError, "sequence must be a str or list or tuple, got int 3"),
        (("a", [11]), ValueError, "labels must be in [-1, 10], got values from 11 to 11"),
        (("a", [[1]]), ValueError, "labels must have 1 dimension(s), got shape (1, 1)"),
        (("a", [1.5]), TypeError, "labels must be an array of integers, got dtype float64"),
        (("a", [], 3), TypeError, "path must be a file path (str or pathlib.Path), got int"),
    ]:
        raises(error, message, use, *arguments)


def test_an_array_bound_may_name_an_array_before_it():
    """'upper="floats shaped like y_true >= lower"': compared element by element (notebook 04's intervals)."""

    @checked(lower="(n,) floats", upper="(n,) floats >= lower", above="(n,) floats > upper or None")
    def interval(lower, upper, above=None):
        return lower, upper

    assert interval([0.0, 1.0], [0.0, 2.0])[1].tolist() == [0.0, 2.0]  # equal ends allowed: >=
    raises(ValueError, "upper must be >= lower everywhere, got 1 of 2 value(s) that are not", interval,
           [0.0, 1.0], [0.0, 0.5])
    raises(ValueError, "above must be > upper everywhere, got 1 of 2 value(s) that are not", interval,
           [0.0, 1.0], [0.0, 2.0], [1.0, 2.0])


def test_checked_decorates_functions_only():
    with pytest.raises(TypeError, match="checked must decorate a function, got str 'f'"):
        checked(x="any")("f")


def test_sizes_a_default_or_a_range_needs_must_be_fixed_before():
    @checked(h0="(batch, units) floats or zeros", x="(batch, units) floats")
    def too_early(h0=None, x=None):
        return h0

    raises(TypeError, "h0 cannot default to zeros: no argument before it fixes its shape", too_early, None,
           np.zeros((1, 1)))

    @checked(lag="int in [0, n)", n="int")
    def unbound(lag, n):
        return lag

    raises(TypeError, "a range names n, which no argument before it fixes", unbound, 1, 3)

    @checked(y_pred="floats shaped like y_true", y_true="floats")
    def listed_first(y_true, y_pred):
        return y_pred

    raises(TypeError, "y_pred's spec names y_true, which no array argument before it fixes", listed_first, [1.0],
           [1.0])


def test_an_int_argument_fixes_the_size_of_its_name():
    @checked(units="int >= 1", bias="(units,) floats", n="int")
    def sized(units, bias, n=None):
        return bias

    assert sized(3, [1, 2, 3], 5).shape == (3,)
    raises(ValueError, "bias must have shape (3), got (2,)", sized, 3, [1, 2], 5)

    @checked(bias="(units,) floats", units="int")
    def sized_after(bias, units):
        return units

    raises(ValueError, "units must be 2, the size the arguments before it have, got 3", sized_after, [1, 2], 3)


def test_an_optional_last_axis_of_one_a_multiple_a_non_empty_string_and_values_as_given():
    @checked(X="(n, lookback, 1?) floats", season="int in [1, lookback]")
    def windows(X, season=1):
        return X

    assert windows(np.ones((4, 6, 1))).shape == (4, 6) and windows([[1, 2], [3, 4]]).shape == (2, 2)
    raises(ValueError, "X must have shape (n, lookback) or (n, lookback, 1), got (4, 6, 2)", windows,
           np.ones((4, 6, 2)))
    raises(ValueError, "X must have shape (n, lookback) or (n, lookback, 1), got (5,)", windows, np.ones(5))
    raises(ValueError, "season must be <= 6, got 7", windows, np.ones((4, 6, 1)), 7)  # lookback bound without the 1

    @checked(steps_per_call="int >= 1", steps="int >= 1, a multiple of steps_per_call", even="int, a multiple of 2")
    def steps(steps_per_call, steps, even=0):
        return steps

    assert steps(5, 10) == 10 and steps(1, 7, 4) == 7
    raises(ValueError, "steps must be a multiple of steps_per_call=5, got 7", steps, 5, 7)
    raises(ValueError, "steps must be >= 1, got 0", steps, 5, 0)  # the range first
    raises(ValueError, "even must be a multiple of 2, got 3", steps, 1, 1, 3)
    raises(TypeError, "steps must be an integer, got float 10.0", steps, 5, 10.0)

    @checked(name="non-empty str", value="float as given")
    def record(name, value):
        return name, value

    assert record(" a name ", 2) == (" a name ", 2) and type(record("x", np.float32(0.5))[1]) is np.float32
    raises(TypeError, "name must be a non-empty string, got ''", record, "", 0.5)
    raises(TypeError, "name must be a non-empty string, got '  '", record, "  ", 0.5)
    raises(TypeError, "name must be a non-empty string, got None", record, None, 0.5)
    raises(TypeError, "value must be a real number, got str '0.5'", record, "x", "0.5")
    raises(ValueError, "value must be finite, got nan", record, "x", float("nan"))


def test_an_array_that_must_not_be_constant():
    @checked(train="floats, not constant", counts="(n,) ints >= 0, not constant")
    def fit(train, counts=(0, 1)):
        return train

    assert fit([1, 2]).dtype == np.float64 and fit([[1.0, 1.0], [1.0, 2.0]]).shape == (2, 2)
    raises(ValueError, "train must hold at least 2 values and not be constant, got 10 value(s) with standard "
           "deviation 0", fit, np.ones(10))
    raises(ValueError, "train must hold at least 2 values and not be constant, got 1 value(s)", fit, [3.0])
    raises(ValueError, "train must be finite", fit, [1.0, np.inf])
    raises(ValueError, "counts must hold at least 2 values and not be constant", fit, [1.0, 2.0], [3, 3])
    raises(ValueError, "counts must be >= 0, got values from -1 to 3", fit, [1.0, 2.0], [-1, 3])


def test_name_among_reads_its_choices_at_each_call():
    from course_utils.validation import name_among

    known = ["a.txt", "b.txt"]

    @checked(name=name_among(lambda: known, "data file"))
    def load(name):
        return name

    assert load("a.txt") == "a.txt"
    raises(ValueError, "no data file named 'c.txt': name must be one of ['a.txt', 'b.txt']", load, "c.txt")
    known.append("c.txt")
    assert load("c.txt") == "c.txt"
    raises(TypeError, "name must be a string, got int 3", load, 3)
    raises(TypeError, "choices must be a function returning the choices, got list", name_among, ["a.txt"], "data file")


@pytest.mark.parametrize("specs, message", [
    (dict(x="(1?, n) floats"), "x's shape must list sizes"),  # '1?' only last
    (dict(x="(n, ..., 1?) floats"), "x's shape must list sizes"),
    (dict(k="int >= 1, a multiple of"), "k's range must be"),
])
def test_new_phrases_that_cannot_be_read_fail_when_decorating(specs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        checked(**specs)


def test_records_lists_of_items_and_one_of_several_specs():
    """record(Class, field=spec): a NamedTuple whose fields pass their specs (music's Chorale); each(spec): a
    non-empty list whose items pass it, each with its own sizes; one_of(spec, ...): the first spec that accepts."""
    from typing import NamedTuple

    from course_utils.validation import each, one_of, record

    class Piece(NamedTuple):
        name: str
        key: int
        notes: np.ndarray

    piece = record(Piece, key="int in [0, 11]", notes="(T, 2) ints in [0, n)")
    model = one_of("(n, n) floats >= 0", Piece, what="a table (n, n) or a Piece")

    @checked(n="int >= 1", pieces=each(piece, "Piece records"), first=piece, model=model)
    def use(n, pieces, first, model):
        return pieces, first, model

    good = Piece("a", 3, [[1, 2], [0, 4]])
    pieces, first, table = use(5, [good, Piece("b", 0, [[4, 4]])], good, np.eye(5))
    assert isinstance(pieces, list) and pieces[1].notes.shape == (1, 2)  # each item binds its own T
    assert isinstance(first, Piece) and isinstance(first.notes, np.ndarray) and first.name == "a"
    assert use(5, (good,), good, good)[2] is good  # the second alternative
    for arguments, error, message in [
        ((5, [good], "a"), TypeError, "first must be a Piece record, got str 'a'"),
        ((5, [good], good._replace(key=12)), ValueError, "first.key must be <= 11, got 12"),
        ((5, [good], good._replace(notes=[[1, 5]])), ValueError, "first.notes must be in [0, 4], got values"),
        ((5, [], good), TypeError, "pieces must be a non-empty list of Piece records, got list []"),
        ((5, "ab", good), TypeError, "pieces must be a non-empty list of Piece records, got str 'ab'"),
        ((5, [good, good._replace(key=-1)], good), ValueError, "pieces[1].key must be >= 0, got -1"),
        ((5, [good], good, "table"), TypeError, "model must be a table (n, n) or a Piece, got str 'table'"),
        ((5, [good], good, np.eye(4)), ValueError, "model must have shape (5, 5), got (4, 4)"),  # the kind it knew
    ]:
        raises(error, message, use, *arguments, **({} if len(arguments) == 4 else {"model": good}))


@pytest.mark.parametrize("build, message", [
    (lambda: __import__("course_utils.validation").validation.record(tuple, a="int"), "record needs a NamedTuple"),
    (lambda: __import__("course_utils.validation").validation.each("(T, 4) bananas"), "item's spec must be"),
    (lambda: __import__("course_utils.validation").validation.one_of(what="x"), "one_of needs specs"),
])
def test_record_each_and_one_of_refuse_a_spec_they_cannot_read(build, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        build()
