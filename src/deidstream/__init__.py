"""deidstream: streaming de-identification of clinical text on Kafka."""

from importlib.metadata import version as _version

from deidstream.offline import use_bundled_suffix_list as _use_bundled_suffix_list

__version__ = _version("deidstream")
# Before any engine exists, in every entry point (worker, CLI, dev, benchmarks): no download of the suffix list.
_use_bundled_suffix_list()
