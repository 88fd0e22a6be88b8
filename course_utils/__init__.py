"""Tested helpers for the LSTM course notebooks.

One module per concept; importing this package imports nothing heavy and changes nothing:
TensorFlow/Keras are imported inside the functions that need them.
"""

__version__ = "0.1.0"
