"""SIHARPA pipeline: read, validate, store and publish the market prices of Kabupaten Penajam Paser Utara."""

__version__ = "0.5.0"
