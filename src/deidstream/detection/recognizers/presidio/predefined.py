"""Presidio's recognizers worth keeping on clinical text, each keeping the results of its batch run.

They have context words, so the NLP engine runs them over every document of a
batch before the analyzer does (see `presidio_adapter.KeepsBatchResults`); under their
own class names, as before, so each detection still names the recognizer it came from.
"""

from __future__ import annotations

from presidio_analyzer import predefined_recognizers as presidio

from deidstream.detection.presidio_adapter import KeepsBatchResults


class EmailRecognizer(KeepsBatchResults, presidio.EmailRecognizer):
    pass


class IpRecognizer(KeepsBatchResults, presidio.IpRecognizer):
    pass


class UsSsnRecognizer(KeepsBatchResults, presidio.UsSsnRecognizer):
    pass


class CreditCardRecognizer(KeepsBatchResults, presidio.CreditCardRecognizer):
    pass
