"""Presidio's recognizers worth keeping on clinical text, each keeping the results of its batch run.

They have context words, so the NLP engine runs them over every document of a
batch before the analyzer does (see `base.recognizers.PresidioPatternRecognizer`); under their
own class names, as before, so each detection still names the recognizer it came from.
"""

from __future__ import annotations

from presidio_analyzer import predefined_recognizers as presidio

from deidstream.detection.base.recognizers import PresidioPatternRecognizer


class EmailRecognizer(PresidioPatternRecognizer, presidio.EmailRecognizer):
    pass


class IpRecognizer(PresidioPatternRecognizer, presidio.IpRecognizer):
    pass


class UsSsnRecognizer(PresidioPatternRecognizer, presidio.UsSsnRecognizer):
    pass


class CreditCardRecognizer(PresidioPatternRecognizer, presidio.CreditCardRecognizer):
    pass
