"""URLs with a scheme, `www.` or a common top-level domain. Presidio's own URL recognizer takes
abbreviations such as `r.a.` or `s.p.` for domains, which are everywhere in notes."""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.entity import EntityType

TLDS = r"com|org|net|edu|gov|mil|int|io|us|info|biz|health|care|co\.uk|ca|de|fr"


class WebAddressRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.URL
    PATTERNS = [
        Pattern("scheme or www", r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"']+[^\s<>\"'.,;:)]", 0.85),
        Pattern(
            "domain",
            rf"(?i)(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{TLDS})\b(?:/[^\s<>\"']*[^\s<>\"'.,;:)])?(?![@\w])",
            0.6,
        ),
    ]
