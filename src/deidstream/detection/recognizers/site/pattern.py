"""A site's identifier format as a pattern: a regular expression, context words that raise its score, and a check
by name (`luhn`, `mod11`, `length`) that a match must pass to count.

A hospital knows the shape of its own record and accession numbers, and the
labels no general recognizer knows (`Unit ref 48291537`). With a check digit the
pattern can be as loose as the numbers are (`\\b\\d{8}\\b`): a number whose check
fails is no candidate.
"""

from __future__ import annotations

from collections.abc import Callable

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import BatchPatternRecognizer
from deidstream.entity import EntityType


class SitePatternRecognizer(BatchPatternRecognizer):
    def __init__(
        self,
        name: str,
        pattern: str,
        entity_type: EntityType,
        score: float,
        context: list[str],
        check: Callable[[str], bool] | None,
        supported_language: str = "en",
    ) -> None:
        super().__init__(
            supported_entity=entity_type,
            patterns=[Pattern(name, pattern, score)],
            context=context,
            supported_language=supported_language,
            name=name,
        )
        self._check = check

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Presidio's hook: a match whose check fails is dropped (its score set to 0)."""
        return self._check is not None and not self._check(pattern_text)
