"""The operators a policy can name, one module each (the plain `tag`, `redact` and `mask` share one).

`deidstream.anonymization.anonymizer.build_operator` turns a policy setting into an operator.
"""
