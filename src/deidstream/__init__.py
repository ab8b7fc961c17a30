"""deidstream: streaming de-identification of clinical text on Kafka."""

from importlib.metadata import version as _version

__version__ = _version("deidstream")
