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
    raises(ValueError, "ids must be in [0, V - 1 (3)], got values from 0 to 4", pick, np.ones(4), [0, 4], np.ones(4))
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
        ((3, 1.0, 3), ValueError, "lag must be <= n - 1 (2), got 3"),  # [0, n): a bound read from an earlier argument
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


def test_unchecked_is_the_body_alone_for_a_loop_that_checked_its_arguments_once():
    """cell.unchecked is the body without the checks or their conversions (for a generation step)."""
    assert cell.unchecked is inspect.unwrap(cell)
    x = np.ones((2, 3, 1), dtype=np.float32)
    received = cell.unchecked(x, "kernel", None, None)
    assert received[0] is x and received[1:] == ("kernel", None, None, None, None)  # not converted, not refused


@pytest.mark.parametrize("specs, message", [
    (dict(x="(batch, T) float", y="any"), "x's spec must be '(shape) floats'"),  # "float", not "floats"
    (dict(x="(batch, T+1) floats", y="any"), "x's shape must list sizes, names, k*name or name >= least (and ... "
                                             "first or last), got 'T+1'"),
    (dict(x="(batch, ..., T) floats", y="any"), "x's shape must list sizes, names, k*name or name >= least (and ... "
                                                "first or last), got '...'"),
    (dict(x="(T >= 1.5,) floats", y="any"), "x's shape must list sizes"),  # a least size is a number or a name
    (dict(x="int > 0", y="any"), "x's range must be '>= a', '<= b', 'in [a, b]', (ints) 'in [a, b)', or (floats) "
                                 "'> a', '< b', 'in (a, b)', got '> 0'"),  # an integer: '>= 1'
    (dict(x="float in (0, 1]", y="any"), "x's range must be"),  # open on both sides or closed on both
    (dict(x="floats != 0", y="any"), "x's range must be"),  # no zeros: a check function in its module (mape)
    (dict(x="(n, T) strings", y="any"), "x's strings must have one size, as in '(n,) strings'"),
    (dict(x="(n >= 2,) strings", y="any"), "x's strings must have one size, as in '(n,) strings'"),
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


def test_arrays_of_any_shape_shaped_like_another():
    """The metrics' specs: y_true of any shape, y_pred of the same."""

    @checked(y_true="floats", y_pred="floats shaped like y_true", lower="(n, ...) floats")
    def metric(y_true, y_pred, lower=(0.0,)):
        return y_true, y_pred, lower

    y_true, y_pred, _ = metric([[1, 2]], np.ones((1, 2), np.float32))
    assert y_true.dtype == y_pred.dtype == np.float64 and y_pred.shape == (1, 2)
    assert metric(3.0, 4.0)[1].shape == ()  # any shape: a single number too
    raises(ValueError, "y_pred must have the shape of y_true (2,), got (1,)", metric, [1.0, 2.0], [1.0])
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
    raises(ValueError, "horizon must be <= n - lookback (2), got 3", windows, np.zeros(5), 3, 3)
    raises(ValueError, "lookback must be <= n (5), got 6", windows, np.zeros(5), 6, 1)
    raises(ValueError, "coverage must be strictly between 0.0 and 1.0, got 1.0", windows, np.zeros(5), 3, 1, 1.0)
    raises(ValueError, "coverage must be strictly between 0.0 and 1.0, got 0.0", windows, np.zeros(5), 3, 1, 0)
    raises(ValueError, "rate must be > 0.0, got 0.0", windows, np.zeros(5), 3, 1, rate=0.0)
    raises(ValueError, "low must be < 0.0, got 0.0", windows, np.zeros(5), 3, 1, low=0.0)
    assert windows(np.zeros(5), 3, 1, 0.999, 1e-9, -1e-9) == 4

    @checked(x="(n,) floats", lag="int in [0, n - 3)")
    def lags(x, lag):
        return lag

    raises(ValueError, "lag must be <= n - 3 - 1 (1), got 2", lags, np.zeros(5), 2)


def test_a_bound_that_is_a_name_is_shown_by_name_and_value():
    """A range may name an int or a float argument before it (notebook 08's upper_hz > lower_hz); the message shows
    the bound by name and value, so the learner sees which argument set it."""

    @checked(lower_hz="float >= 0", sample_rate="int >= 1000", upper_hz="float > lower_hz",
             frames="int in [1, sample_rate - 1000]")
    def filters(lower_hz, sample_rate, upper_hz, frames=1):
        return upper_hz

    assert filters(60.0, 8000, 4000.0) == 4000.0 and filters(0, 8000, 1e-9, 7000) == 1e-9
    raises(ValueError, "upper_hz must be > lower_hz (3900.0), got 3800.0", filters, 3900.0, 8000, 3800.0)
    raises(ValueError, "upper_hz must be > lower_hz (60.0), got 60.0", filters, 60.0, 8000, 60)
    raises(ValueError, "frames must be <= sample_rate - 1000 (7000), got 7001", filters, 60.0, 8000, 100.0, 7001)
    raises(ValueError, "frames must be >= 1, got 0", filters, 60.0, 8000, 100.0, 0)
    raises(ValueError, "lower_hz must be >= 0.0, got -1.0", filters, -1.0, 8000, 100.0)
    raises(TypeError, "upper_hz must be a real number, got str", filters, 60.0, 8000, "4000")
    for spec in ("float > 0, <= 1", "float <= sample_rate / 2", "float > b"):  # one range; b is bound by nothing
        with pytest.raises(TypeError, match="x's (range|spec) must|a range names b"):
            checked(x=spec)(lambda x: x)(0.5)


def test_a_list_of_arrays_whose_sizes_ending_in_i_differ():
    """each(spec): notebook 08's features of utterances of different lengths, one n_mels for all."""
    from course_utils.validation import each

    @checked(features=each("(frames_i, n_mels) floats", "arrays (frames, n_mels)"), bands="(n_mels,) ints or None")
    def pad(features, bands=None):
        return [f.shape for f in features]

    assert pad([np.ones((3, 4)), np.ones((5, 4))], [1, 2, 3, 4]) == [(3, 4), (5, 4)]
    raises(ValueError, "features[1] must have shape (5, 4), got (5, 3)", pad, [np.ones((3, 4)), np.ones((5, 3))])
    raises(ValueError, "bands must have shape (4), got (3,)", pad, [np.ones((3, 4))], [1, 2, 3])  # n_mels, bound
    raises(ValueError, "features[0] must have 2 dimension(s), got shape (3,)", pad, [np.ones(3)])
    raises(ValueError, "features must be a non-empty list of arrays (frames, n_mels), got an empty list", pad, [])
    raises(TypeError, "features must be a non-empty list of arrays (frames, n_mels), got array of shape (2, 3, 4)",
           pad, np.ones((2, 3, 4)))
    # phrases that were one function's, now a check function in its module: no longer read
    for spec in ("int, sorted", "(2,) floats, sorted", "list of (n,) floats",
                 "int >= 1, a multiple of k", "non-empty str", "str of length n", "colour",
                 "float as given"):
        with pytest.raises(TypeError, match=r"x's (spec|shape|range) must"):
            checked(x=spec)(lambda x: x)


def test_a_size_may_have_a_least_value():
    """'(samples >= frame_length,) floats' (notebook 08's clips), '(pieces, P >= context, 4) ints' (09's prompts)."""
    from course_utils.validation import each

    @checked(frame_length="int >= 1", audio="(samples >= frame_length,) floats",
             pieces=each("(T_i >= 2, 4) ints", "pieces"))
    def frames(frame_length, audio, pieces=([[1, 2, 3, 4]] * 2,)):
        return audio.size // frame_length, [len(p) for p in pieces]

    assert frames(4, np.ones(9)) == (2, [2]) and frames(4, np.ones(4))[0] == 1  # the least size itself passes
    raises(ValueError, "audio must have shape (samples >= frame_length (4)), got (3,)", frames, 4, np.ones(3))
    raises(ValueError, "pieces[1] must have shape (T_i >= 2, 4), got (1, 4)", frames, 1, np.ones(3),
           [np.ones((3, 4), int), np.ones((1, 4), int)])
    raises(TypeError, "a range names m, which no argument before it fixes",
           checked(x="(n >= m,) floats")(lambda x: x), [1.0])


def test_an_array_may_be_said_not_constant():
    """'floats not constant' (a training series to scale), '(n,) floats > 0, not constant' (lengths to fit a slope)."""

    @checked(train="floats not constant", lengths="(n,) floats > 0, not constant or None")
    def fit(train, lengths=None):
        return train, lengths

    assert fit([1.0, 2.0, 2.0], [1, 4])[1].tolist() == [1.0, 4.0]
    raises(ValueError, "train must not be constant (two different values at least), got 3 value(s), all 2.0", fit,
           [2.0, 2.0, 2.0])
    raises(ValueError, "train must not be constant", fit, [[7.0]])  # one value
    raises(ValueError, "lengths must be > 0.0, got values from -1.0 to 2.0", fit, [1.0, 2.0], [-1.0, 2.0])
    raises(ValueError, "lengths must not be constant", fit, [1.0, 2.0], [3.0, 3.0])


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


def test_strings_matching_a_pattern():
    """'str matching' and '(n,) strings matching' (notebook 08's digit strings)."""

    @checked(digits="(n,) strings matching [0-9]+", heard="str matching [0-9]*")
    def strings(digits, heard=""):
        return digits, heard

    assert strings(np.array(["477", "0"]), "") == (["477", "0"], "")
    for arguments, error, message in [
        ((["47", "4x"],), ValueError, "digits must hold only strings matching '[0-9]+', got '4x'"),
        ((["47", ""],), ValueError, "digits must hold only strings matching '[0-9]+', got ''"),
        (("477",), TypeError, "digits must be a list of strings, got str"),
        ((["4"], "٤"), ValueError, "heard must match '[0-9]*', got '٤'"),  # an Arabic-Indic four: not 0-9
        ((["4"], 4), TypeError, "heard must be a string, got int 4"),
    ]:
        raises(error, message, strings, *arguments)
    with pytest.raises(TypeError, match="a regular expression after 'matching'"):
        checked(digits="(n,) strings matching [0-9")
    with pytest.raises(TypeError, match="strings take no range, only 'matching"):
        checked(digits="(n,) strings >= 0")


def test_a_check_function_may_bind_a_name_for_the_arguments_after_it():
    """A check function passed as the spec may bind a size (notebook 05's text and the positions in it)."""

    def characters(name, value, dims):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {type(value).__name__}")
        dims["characters"] = len(value)
        return value

    @checked(text=characters, values="(characters,) floats", last="int in [1, characters]")
    def colour(text, values, last=1):
        return text, values.shape, last

    assert colour("abc", [1, 2, 3], 3) == ("abc", (3,), 3)
    raises(ValueError, "values must have shape (3), got (2,)", colour, "abc", [1.0, 2.0])
    raises(ValueError, "last must be <= characters (3), got 4", colour, "abc", [1.0, 2.0, 3.0], 4)
    raises(TypeError, "text must be a string, got list", colour, ["abc"], [1.0])


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


def test_a_check_function_reads_an_array_checked_before_it():
    """An array argument checked before is dims["values of x"], for a check function (metrics' upper >= lower)."""

    from course_utils.validation import spec as read_spec

    def above_lower(name, value, dims):
        upper = read_spec("(n,) floats")(name, value, dims)
        if np.any(upper < dims["values of lower"]):
            raise ValueError(f"{name} must be >= lower everywhere, got {upper.tolist()}")
        return upper

    @checked(lower="(n,) floats", upper=above_lower)
    def interval(lower, upper):
        return lower, upper

    assert interval([0.0, 1.0], [0.0, 2.0])[1].tolist() == [0.0, 2.0]
    raises(ValueError, "upper must be >= lower everywhere, got [0.0, 0.5]", interval, [0.0, 1.0], [0.0, 0.5])
    with pytest.raises(TypeError, match="a range names lower, which no argument before it fixes"):
        checked(lower="(n,) floats", upper="(n,) floats >= lower")(lambda lower, upper: upper)([0.0], [1.0])


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


def test_an_optional_last_axis_of_one():
    @checked(X="(n, lookback, 1?) floats", season="int in [1, lookback]")
    def windows(X, season=1):
        return X

    assert windows(np.ones((4, 6, 1))).shape == (4, 6) and windows([[1, 2], [3, 4]]).shape == (2, 2)
    raises(ValueError, "X must have shape (n, lookback) or (n, lookback, 1), got (4, 6, 2)", windows,
           np.ones((4, 6, 2)))
    raises(ValueError, "X must have shape (n, lookback) or (n, lookback, 1), got (5,)", windows, np.ones(5))
    raises(ValueError, "season must be <= lookback (6), got 7", windows, np.ones((4, 6, 1)), 7)  # without the 1


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
])
def test_new_phrases_that_cannot_be_read_fail_when_decorating(specs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        checked(**specs)


def test_records_lists_of_items_and_spec():
    """record(Class, field=spec): a NamedTuple whose fields pass their specs (music's Chorale); each(spec): a
    non-empty list whose items pass it, each with its own sizes; spec(...): a spec as a check function, here the
    alternatives of a check function that looks at the kind of value first."""
    from typing import NamedTuple

    from course_utils.validation import each, record, spec

    class Piece(NamedTuple):
        name: str
        key: int
        notes: np.ndarray

    piece = record(Piece, key="int in [0, 11]", notes="(T, 2) ints in [0, n)")

    def model(name, value, dims):
        if isinstance(value, Piece):
            return value
        if isinstance(value, np.ndarray):
            return spec("(n, n) floats >= 0")(name, value, dims)
        raise TypeError(f"{name} must be a table (n, n) or a Piece, got {type(value).__name__}")

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
        ((5, [good], good._replace(notes=[[1, 5]])), ValueError, "first.notes must be in [0, n - 1 (4)], got values"),
        ((5, [], good), ValueError, "pieces must be a non-empty list of Piece records, got an empty list"),
        ((5, "ab", good), TypeError, "pieces must be a non-empty list of Piece records, got str 'ab'"),
        ((5, [good, good._replace(key=-1)], good), ValueError, "pieces[1].key must be >= 0, got -1"),
        ((5, [good], good, "table"), TypeError, "model must be a table (n, n) or a Piece, got str"),
        ((5, [good], good, np.eye(4)), ValueError, "model must have shape (5, 5), got (4, 4)"),  # the kind it knew
    ]:
        raises(error, message, use, *arguments, **({} if len(arguments) == 4 else {"model": good}))


@pytest.mark.parametrize("build, message", [
    (lambda: __import__("course_utils.validation").validation.record(tuple, a="int"), "record needs a NamedTuple"),
    (lambda: __import__("course_utils.validation").validation.each("(T, 4) bananas"), "item's spec must be"),
    (lambda: __import__("course_utils.validation").validation.spec("(T, 4) bananas"), "value's spec must be"),
])
def test_record_each_and_spec_refuse_a_spec_they_cannot_read(build, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        build()
