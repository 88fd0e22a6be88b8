"""course_utils.training: the data and pictures of notebook 00's training primer."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.training import draw_training_loop, line_data, mse_grid, plot_lines_at_steps, plot_loss_landscape


def test_line_data_is_the_line_plus_noise_and_repeats():
    x, y = line_data(2000, seed=3, slope=-1.5, intercept=0.5, noise=0.1)
    assert x.shape == y.shape == (2000,) and x.min() >= -1 and x.max() <= 1
    slope, intercept = np.polyfit(x, y, 1)
    assert abs(slope + 1.5) < 0.02 and abs(intercept - 0.5) < 0.02  # least squares finds the line back
    assert abs(np.std(y - (-1.5 * x + 0.5)) - 0.1) < 0.01  # the noise has the standard deviation asked for
    assert np.array_equal(line_data(5, seed=3)[0], line_data(5, seed=3)[0])
    assert not np.array_equal(line_data(5, seed=3)[0], line_data(5, seed=4)[0])
    x0, y0 = line_data(4, seed=0, noise=0.0)
    assert np.allclose(y0, 2 * x0 + 1)  # the defaults: y = 2x + 1


def test_mse_grid_matches_a_loop():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=7), rng.normal(size=7)
    slopes, intercepts = np.linspace(-1, 1, 4), np.linspace(0, 2, 3)
    grid = mse_grid(x, y, slopes, intercepts)
    assert grid.shape == (3, 4)
    for row, b in enumerate(intercepts):
        for column, w in enumerate(slopes):
            assert np.isclose(grid[row, column], np.mean((w * x + b - y) ** 2))


def test_mse_grid_checks_its_arguments():
    with pytest.raises(ValueError, match="y must have shape"):
        mse_grid([0.0, 1.0], [1.0, 2.0, 3.0], [1.0], [0.0])


def test_plots_draw_what_they_say():
    x, y = line_data(10, seed=0)
    path = np.array([[0.0, 0.0], [1.0, 0.5], [1.8, 0.9]])
    ax = plot_lines_at_steps(x, y, path, steps_shown=[0, 2])
    assert len(ax.lines) == 2 and "after step 2: w = 1.80, b = 0.90" in [t.get_text() for t in ax.get_legend().texts]
    with pytest.raises(ValueError, match=r"steps_shown must be in \[0, steps - 1 \(2\)\]"):
        plot_lines_at_steps(x, y, path, steps_shown=[0, 3])
    ax = plot_loss_landscape(x, y, {"one": path, "two": path[:2] + 0.1})
    assert [line.get_label() for line in ax.lines] == ["one", "two"]
    with pytest.raises(ValueError, match=r"shape \(steps, 2\)"):
        plot_loss_landscape(x, y, {"bad": np.zeros((3, 3))})
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_loss_landscape(x, y, {})
    plt.close("all")


def test_the_training_loop_diagram_names_each_stage():
    ax = draw_training_loop()
    text = " ".join(t.get_text() for t in ax.texts)
    for word in ("batch", "model", "loss", "gradient", "step", "compile", "fit", "epoch"):
        assert word in text
    plt.close("all")


def test_gradient_norm_callback_records_the_gradient_before_every_step():
    """One norm per step, each the global norm of the full-set gradient at the weights that step starts from."""
    import keras
    import tensorflow as tf

    from course_utils.training import gradient_norm_callback

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 5, 1)), rng.integers(0, 2, size=12).astype(float)
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.SimpleRNN(3),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="binary_crossentropy")  # steps of 0: weights stay put
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(y[:, None], model(x.astype("float32"))))
    expected = float(tf.linalg.global_norm(tape.gradient(loss, model.trainable_variables)))
    callback = gradient_norm_callback(x, y)
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, callbacks=[callback], verbose=0)
    assert len(callback.norms) == 6  # 3 batches an epoch, 2 epochs
    assert np.allclose(callback.norms, expected, rtol=1e-5)


def test_gradient_norm_callback_checks_its_arguments():
    from course_utils.training import gradient_norm_callback

    with pytest.raises(ValueError, match="y must have shape"):
        gradient_norm_callback(np.zeros((4, 3, 1)), np.zeros(5))
