"""Word lists the name and place recognizers share, loaded once per process.

- Person names: the US Census name frequency lists shipped by the `names` package
  (88,799 surnames, 5,494 first names), so that names the NER model misses in
  all-caps or note-style text are still found, without memorizing any corpus.
- Common English words: spaCy's stop words plus the WordNet lemma index carried by
  every `en_core_web_*` pipeline. A name that is also an English word (`Bill`,
  `White`, `Rich`) is only taken as a name with context.
- Clinical terms (`data/clinical_terms.txt`): eponyms, devices, drugs and note
  abbreviations that look like names but never are.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import spacy
from spacy.lang.en.stop_words import STOP_WORDS

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# First names this frequent are names even when they are English words too (`Bill`, `Mark`, `Rich`).
COMMON_FIRST_NAME_RANK = 1500
POSSESSIVE = re.compile(r"(?i)'s$")
INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("'s", ""))


@cache
def census_first_names() -> dict[str, int]:
    """First name -> frequency rank (1 is the most common)."""
    return _census("dist.female.first") | _census("dist.male.first")


@cache
def census_surnames() -> dict[str, int]:
    """Surname -> frequency rank (1 is the most common)."""
    return _census("dist.all.last")


def _census(file_name: str) -> dict[str, int]:
    """Census files hold `NAME  freq  cumulative-freq  rank` lines."""
    text = files("names").joinpath(file_name).read_text(encoding="ascii")
    return {fields[0].lower(): int(fields[3]) for line in text.splitlines() if len(fields := line.split()) == 4}


@cache
def clinical_terms() -> frozenset[str]:
    text = files("deidstream.recognizers").joinpath("data/clinical_terms.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


class Vocabulary:
    """Answers "could this word be a name?" for the recognizers of one engine."""

    def __init__(self, nlp: spacy.language.Language) -> None:
        """Take the WordNet lemma index from the engine's own pipeline, so no other model is loaded for it."""
        if "lemmatizer" not in nlp.component_names:
            raise ValueError("the spaCy model has no lemmatizer; deidstream needs an en_core_web_* pipeline")
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        exceptions = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
        self._english = frozenset(
            [word for part in ("noun", "verb", "adj", "adv") for word in index[part]]
            + [form for part in ("noun", "verb", "adj", "adv") for form in exceptions[part]]
        )
        self._first_names = census_first_names()
        self._surnames = census_surnames()
        self._clinical = clinical_terms()

    def is_common_word(self, word: str) -> bool:
        """An English word in its own right (including inflected forms such as `labs` or `went`)."""
        lower = word.lower()
        if lower in STOP_WORDS or lower in self._english:
            return True
        return any(
            lower.endswith(suffix) and lower[: len(lower) - len(suffix)] + replacement in self._english
            for suffix, replacement in INFLECTIONS
            if len(lower) - len(suffix) >= 2
        )

    def is_known_name(self, word: str) -> bool:
        lower = word.lower()
        return lower in self._surnames or lower in self._first_names

    def name_rank(self, word: str) -> int | None:
        """The best census frequency rank of `word` as a first name or surname; None if not a listed name."""
        lower = word.lower()
        ranks = [rank for table in (self._first_names, self._surnames) if (rank := table.get(lower)) is not None]
        return min(ranks, default=None)

    def is_first_name(self, word: str) -> bool:
        return word.lower() in self._first_names

    def is_listed_first_name(self, word: str) -> bool:
        """A census first name that is not a stop word or clinical term (`Roger`, `bill`; not `will`).

        The census lists rare first names that are everyday words (`Numbers`, `Min`); an English word counts
        only when it is a common first name.
        """
        rank = self._first_names.get(word.lower())
        if rank is None or not self.could_be_name(word):
            return False
        return rank <= COMMON_FIRST_NAME_RANK or not self.is_common_word(word)

    def is_name_in_list(self, word: str) -> bool:
        """The next item of a list of names (`Drs Ferullo and Saeed`, `Sons David, Morris and Roger`)."""
        return self.is_listed_first_name(word) or (self.could_be_name(word) and not self.is_common_word(word))

    def is_stop_word(self, word: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_clinical(self, word: str) -> bool:
        return word.lower() in self._clinical

    def is_unambiguous_name(self, word: str) -> bool:
        """In a name list and nothing else: safe to flag without context."""
        return (
            len(word) > 2 and self.is_known_name(word) and not self.is_common_word(word) and not self.is_clinical(word)
        )

    def could_be_name(self, word: str) -> bool:
        """Acceptable as a name where the context says a name follows (after `Dr.`, `wife`, ...)."""
        word = POSSESSIVE.sub("", word)
        if self.is_clinical(word) or word.lower() in STOP_WORDS or "'" in word[1:-1] and word[1] != "'":
            return False
        return self.is_known_name(word) or not self.is_common_word(word)
