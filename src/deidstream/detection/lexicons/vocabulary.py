"""Word lists the name and place recognizers share, loaded once per process, and the questions asked of them.

- Person names: the US Census name frequency lists shipped by the `names` package
  (public-domain census data, MIT package; 88,799 surnames, 5,494 first names), so
  that names the NER model misses in all-caps or note-style text are still found,
  without memorizing any corpus.
- Common English words: spaCy's stop words (MIT) plus the WordNet lemma index
  (WordNet 3.0 licence, permissive) carried by every `en_core_web_*` pipeline. A
  name that is also an English word (`Bill`, `White`, `Rich`) is only taken as a
  name with context.
- Clinical terms (`data/clinical_terms.txt`, `data/clinical_vocabulary.txt`: our
  own lists, Apache-2.0 as the project): eponyms, devices, drugs and note
  abbreviations that look like names but never are.
- Drug names (`data/drugs.txt`): generic and brand names from the MIT-licensed
  `drug-named-entity-recognition` package, less any word a name list or the
  gazetteer holds, for the veto only: brands are invented words that read like names.
- Place names: GeoNames' populated places and US counties (`data/places.txt`, CC BY 4.0, folded
  to lower case without diacritics, so `Zürich` and `ZURICH` are one), so that
  towns written without a cue (`daughter Grace of Gaithersburg`) are found.
- Misspellings: notes are typed fast (`tranplant`, `visisted`, `couts`), and a
  word one slip away from an English word is that word, not a name or a place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib.resources import files
from typing import cast

import regex as re
import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.pipeline import Lemmatizer

from deidstream.census import census_first_names, census_surnames
from deidstream.detection.lexicons.name_ranks import COMMON_FIRST_NAME_RANK, MISSPELT_NAME_MAX_RANK

WORD = re.compile(r"\p{L}[\p{L}'’\-]*")
VOWEL = re.compile(r"(?i)[aeiouyà-ÿāăąēĕėęěīĭįıōŏőũūŭůűųŷ]")
# Letters that Unicode does not decompose into a base letter and a mark, spelt as the census writes them.
UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "’": "'"}
)
# Particles inside names (`van der Berg`, `María de la Cruz`, `bin Said`): part of the name between its words.
PARTICLES = frozenset(
    "van von der den de del della dei degli di da das dos du la le lo les ter ten te zu bin ibn al el ap st".split()
)
POSSESSIVE = re.compile(r"(?i)['’]s$")
INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("'s", ""))
COMPARATIVES = (("ier", "y"), ("iest", "y"), ("er", ""), ("est", ""), ("r", ""), ("st", ""))
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# Shorter words are too often abbreviations or names one letter from a word (`Lyle`, `Hart`) to call misspelt.
MISSPELLING_MIN_LENGTH = 5
# Words without a census listing this short are abbreviations (`VSS`, `fld`, `RIJ`), not names.
MAX_UNLISTED_ABBREVIATION = 3
MIN_INFLECTED_SPELLING = 7
MISSPELLING_MEMO = 65_536


def fold(word: str) -> str:
    """Lower case without diacritics (`Muñoz` -> `munoz`, `Łukasz` -> `lukasz`): how the census and the gazetteer
    spell names. For look-ups only; detected spans keep the text as written."""
    if word.isascii():
        return word.lower()
    lower = word.lower().translate(UNDECOMPOSED)
    return "".join(char for char in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(char))


def has_diacritics(word: str) -> bool:
    """A letter outside ASCII: English words and clinical abbreviations are spelt without (`Zoë`, `Wójcik`)."""
    return not word.isascii() and any(char.isalpha() and not char.isascii() for char in word)


CLINICAL_LISTS = ("data/clinical_terms.txt", "data/clinical_vocabulary.txt")


@cache
def clinical_terms() -> frozenset[str]:
    """Clinical words and phrases, lower case (`foley`, `lasix`, `bear hugger`)."""
    lines = (
        line.strip()
        for name in CLINICAL_LISTS
        for line in files("deidstream.detection.lexicons").joinpath(name).read_text(encoding="utf-8").splitlines()
    )
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def place_names() -> frozenset[str]:
    """Lower-case names of populated places (GeoNames; see scripts/build_places.py)."""
    return _word_list("data/places.txt")


@cache
def drug_names() -> frozenset[str]:
    """Lower-case one-word drug names, generic and brand, that no name list or gazetteer holds (scripts/build_drugs.py)."""
    return _word_list("data/drugs.txt")


def _word_list(name: str) -> frozenset[str]:
    text = files("deidstream.detection.lexicons").joinpath(name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


class Vocabulary:
    """Answers "could this word be a name?" for the recognizers of one engine."""

    def __init__(self, nlp: spacy.language.Language) -> None:
        """Take the WordNet lemma index from the engine's own pipeline, so no other model is loaded for it."""
        if "lemmatizer" not in nlp.component_names:
            raise ValueError("the spaCy model has no lemmatizer; deidstream needs an en_core_web_* pipeline")
        lookups = cast(Lemmatizer, nlp.get_pipe("lemmatizer")).lookups
        index, exceptions = lookups.get_table("lemma_index"), lookups.get_table("lemma_exc")
        self._lemmas = frozenset(word for part in ("noun", "verb", "adj", "adv") for word in index[part])
        self._english = self._lemmas | frozenset(
            form for part in ("noun", "verb", "adj", "adv") for form in exceptions[part]
        )
        self._adjectives = frozenset(index["adj"])
        # Verbs, adjectives and adverbs: WordNet's nouns hold many names (`john`, `isolde`, `smith`), these few.
        self._everyday = frozenset(word for part in ("verb", "adj", "adv") for word in index[part]) | frozenset(
            form for part in ("verb", "adj", "adv") for form in exceptions[part]
        )
        self._first_names = census_first_names()
        self._surnames = census_surnames()
        self._clinical = clinical_terms()
        self._drugs = drug_names()
        self._places = place_names()
        self._place_first_words = frozenset(place.split(" ", 1)[0] for place in self._places)
        self.is_misspelling = lru_cache(maxsize=MISSPELLING_MEMO)(self._is_misspelling)

    def is_common_word(self, word: str) -> bool:
        """An English word in its own right (including inflected forms such as `labs` or `went`)."""
        lower = word.lower()
        if "-" in lower.strip("-"):
            return all(self.is_common_word(part) for part in lower.split("-") if part)
        if lower in STOP_WORDS or lower in self._english:
            return True
        return _inflects(lower, INFLECTIONS, self._english) or _inflects(lower, COMPARATIVES, self._adjectives)

    def is_everyday_word(self, word: str) -> bool:
        """A word written in lower case in any sentence: a stop word, or a verb, adjective or adverb in any of its
        forms (`will`, `hope`, `mark`, `rose`, `white`, `reading`).

        Nouns alone do not count, because WordNet lists people and places as nouns (`john`, `isolde`, `boston`): a
        patient's name known from registration is found in any case unless it is such an everyday word.
        """
        lower = word.lower()
        if lower in STOP_WORDS or lower in self._everyday:
            return True
        return _inflects(lower, INFLECTIONS, self._everyday) or _inflects(lower, COMPARATIVES, self._adjectives)

    def _is_misspelling(self, word: str) -> bool:
        """One letter added, dropped, changed or two swapped away from an English or clinical word (`recieve`, `mciu`).

        Slips rarely hit the first letter, and variants of names are names (`Katheryn`, `Jonathon`), so
        neither a changed first letter nor a listed name counts.
        Recognizers ask this only where their cue is weak: after `Dr.` or `Mr.` a name may look like anything.
        """
        lower = word.lower()
        if len(lower) < MISSPELLING_MIN_LENGTH or not (lower.isalpha() and lower.isascii()):
            return False  # a word spelt with diacritics is no slip of an English word
        if self.is_common_word(lower):
            return False
        rank = self.name_rank(lower)
        if rank is not None and rank <= MISSPELT_NAME_MAX_RANK:
            return False
        return any(
            self._is_spelling(candidate) and not self.is_known_name(candidate)
            for candidate in (lower[0] + rest for rest in one_edit_away(lower[1:]))
        )

    def _is_spelling(self, candidate: str) -> bool:
        """What a slip may have been meant to spell: a lemma or clinical term, or an inflected form long enough
        not to be a coincidence (`visited`, not `pembered` for `pemberton` or `saved` for `saeid`)."""
        if len(candidate) < MISSPELLING_MIN_LENGTH - 1:
            return False
        if candidate in self._lemmas or candidate in self._clinical:
            return True
        return len(candidate) >= MIN_INFLECTED_SPELLING and self.is_common_word(candidate)

    def is_known_name(self, word: str) -> bool:
        """A census name, whatever its diacritics; a hyphenated name when one part is listed and no other part is
        an English word (`Jean-Luc`, `García-Márquez`)."""
        key = _census_key(word)
        if key in self._surnames or key in self._first_names:
            return True
        parts = [part for part in key.split("-") if part]
        return (
            len(parts) > 1
            and any(part in self._surnames or part in self._first_names for part in parts)
            and all(
                part in self._surnames or part in self._first_names or not self.is_common_word(part) for part in parts
            )
        )

    def name_rank(self, word: str) -> int | None:
        """The best census frequency rank of `word` as a first name or surname; None if not a listed name."""
        key = _census_key(word)
        first, last = self._first_names.get(key), self._surnames.get(key)
        if first is None or last is None:
            return last if first is None else first
        return min(first, last)

    def surname_rank(self, word: str) -> int | None:
        """The census frequency rank of `word` as a surname; None if the census lists no such surname."""
        return self._surnames.get(_census_key(word))

    def is_adjective(self, word: str) -> bool:
        """An English adjective (`new`, `high`, `young`), the words that follow a role without naming anyone."""
        return word.lower() in self._adjectives

    def is_first_name(self, word: str) -> bool:
        return _census_key(word) in self._first_names

    def is_listed_first_name(self, word: str) -> bool:
        """A census first name that is not a stop word or clinical term (`Roger`, `bill`; not `will`).

        The census lists rare first names that are everyday words (`Numbers`, `Min`); an English word counts
        only when it is a common first name.
        """
        lower = word.lower()
        rank = self._first_names.get(_census_key(word))
        plural_of_word = lower.endswith("s") and lower[:-1] in self._english and not self.is_first_name(lower[:-1])
        if rank is None or not self.could_be_name(word) or plural_of_word:
            return False  # `numbers`, `Pearls`: the census lists some plurals as first names
        return rank <= COMMON_FIRST_NAME_RANK or not self.is_common_word(word)

    def is_name_in_list(self, word: str) -> bool:
        """The next item of a list of names (`Drs Ferrante and Okonkwo`, `Sons David, Morris and Roger`)."""
        return self.is_listed_first_name(word) or (self.could_be_name(word) and not self.is_common_word(word))

    def continues_name(self, previous: str, word: str, mixed_case: bool) -> bool:
        """Whether `word`, right after the name word `previous`, is the next word of the same name.

        A word that could only be a name (`LINDSEY CASTELLUCCI`); a listed surname after a first name that is
        no English word, even when the surname is (`graciela baker`); in mixed-case text a capitalised word
        after a capitalised name, as nothing else is capitalised inside a sentence (`Ferdinand Thistlewood`).
        """
        if len(word) == 2 and has_diacritics(previous) and _case_shape(word) == _case_shape(previous):
            return True  # `Nguyễn Văn An`: short given names after a name spelt with diacritics
        if self.is_particle(previous) and not self.is_particle(word) and self.could_be_name(word):
            return True  # `van der Berg`: the surname after its particles, even when it is an English word
        if len(word) < 3 or self.is_stop_word(word) or self.is_clinical(word):
            return False
        if self.could_be_name(word) and not self.is_common_word(word):
            return True
        if self.is_known_name(word) and self.is_listed_first_name(previous) and not self.is_common_word(previous):
            return True
        return mixed_case and previous.istitle() and word.istitle()

    def is_surname_after_first_name(self, first: str, word: str, mixed_case: bool) -> bool:
        """`BEA QUORVIK`, `theresa papadimou`, `Mary Ellerbee`: after a listed first name written in the same case, a
        rare or unlisted surname that is neither English nor clinical; a slip of the keyboard only when both are
        capitalised inside mixed-case text, where a slip would not be."""
        if not (_case_shape(first) == _case_shape(word) and self.is_listed_first_name(first)):
            return False
        if len(word) <= MAX_UNLISTED_ABBREVIATION or not self.could_be_name(word):
            return False
        if not VOWEL.search(word):
            return False  # `SANG DRNG`: a word without vowels is an abbreviation
        if self.is_common_word(word):
            return False
        return not self.is_misspelling(word) or (mixed_case and word.istitle())

    def starts_place_name(self, word: str) -> bool:
        """Whether some place name begins with this word: most words do not, and need no longer look-up."""
        return fold(word) in self._place_first_words

    def is_place_name(self, phrase: str) -> bool:
        """A populated place of the gazetteer (`bethesda`, `san diego`), whatever the case."""
        return fold(phrase) in self._places

    def is_stop_word(self, word: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_clinical(self, word: str) -> bool:
        """Clinical vocabulary, with or without its diacritics (`Ménière`, `Sjögren`)."""
        return word.lower() in self._clinical or fold(word) in self._clinical

    def is_drug(self, word: str) -> bool:
        """A drug's generic or brand name (`Droperidol`, `Zoloft`) that is not also a listed name or place."""
        return fold(word) in self._drugs

    def is_particle(self, word: str) -> bool:
        """`van`, `der`, `de`, `la`, `bin`: inside a name, between its words, any case."""
        return word.lower() in PARTICLES

    def is_unambiguous_name(self, word: str) -> bool:
        """In a name list and nothing else: safe to flag without context."""
        return (
            len(word) > 2
            and (self.is_known_name(word) or has_diacritics(word))
            and not self.is_common_word(word)
            and not self.is_clinical(word)
        )

    def could_be_name(self, word: str) -> bool:
        """Acceptable as a name where the context says a name follows (after `Dr.`, `wife`, ...)."""
        word = POSSESSIVE.sub("", word)
        if self.is_clinical(word) or word.lower() in STOP_WORDS or "'" in word[1:-1] and word[1] != "'":
            return False
        long_enough = len(word) > MAX_UNLISTED_ABBREVIATION or has_diacritics(word)
        return self.is_known_name(word) or (long_enough and not self.is_common_word(word))


def _case_shape(word: str) -> str:
    return "upper" if word.isupper() else "lower" if word.islower() else "title" if word.istitle() else "mixed"


def _census_key(word: str) -> str:
    """The census lists `O'Brien` and `D'Angelo` without their apostrophe, and names without diacritics
    (`José` as `jose`); `re'd` or `pt's` are no names."""
    lower = fold(word)
    return lower[0] + lower[2:] if lower[1:2] == "'" else lower


def _inflects(word: str, endings: tuple[tuple[str, str], ...], stems: frozenset[str]) -> bool:
    """`word` is a stem of `stems` with one of the endings (`labs` from `lab`, `shorter` from `short`)."""
    return any(
        word.endswith(suffix) and word[: len(word) - len(suffix)] + replacement in stems
        for suffix, replacement in endings
        if len(word) - len(suffix) >= 2
    )


def one_edit_away(word: str) -> Iterator[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word` (Norvig's speller)."""
    splits = [(word[:index], word[index:]) for index in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
            yield from (left + letter + right[1:] for letter in ALPHABET if letter != right[0])
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        yield from (left + letter + right for letter in ALPHABET)
