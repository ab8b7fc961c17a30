"""A site's own word lists: read once when the engine is built, checked line by line, and found in texts.

Source and licence: the deployment's (its ward and building names, its clinicians'
roster, its allowed terms); deidstream ships none. The lists are files named by
the settings (README, "Site configuration"): UTF-8 text, one term or person a
line, `#` opening a comment line, blank lines skipped. A list that cannot be read
as such stops start-up with its file, its line and the fix; what it holds is never
logged nor put in an error message, only how many terms it has.

Terms are found as whole words, in linear time: texts and terms are cut into runs
of letters and digits, and a term is the same runs with at most a little
punctuation and blank between them (`St. Ives Wing` is `St Ives Wing`). Unless a
list is case-sensitive, runs are compared without case or diacritics, as the
census and the gazetteer are (`vocabulary.fold`).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import regex

from deidstream.detection.lexicons.vocabulary import fold

RUN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# What may stand between the runs of one term: blanks and a little punctuation, never a line break.
GAP = regex.compile(r"[ \t]*[^\p{L}\p{M}\p{N}\s]{0,2}[ \t]*")
# A longer line is no term but a pasted paragraph or a file of another kind.
MAX_TERM_CHARS = 200
MAX_TERM_RUNS = 12
COMMENT = "#"
Span = tuple[int, int]


class SiteListError(ValueError):
    """A site list that cannot be read as one: its file, the line (when one is at fault), what is wrong, the fix."""

    def __init__(self, file: Path, line: int | None, problem: str, fix: str) -> None:
        self.file, self.line, self.problem, self.fix = file, line, problem, fix
        super().__init__(f"{file}:{line}: {problem}; fix: {fix}" if line else f"{file}: {problem}; fix: {fix}")


@dataclass(frozen=True)
class Entry:
    """One line of a site list that holds a term, and its line number."""

    text: str
    line: int


def read_entries(path: Path) -> list[Entry]:
    """The terms of the list at `path`, one a line; `SiteListError` naming the line when one is malformed."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SiteListError(
            path, None, f"cannot be read ({error.strerror or type(error).__name__})", "give the path of a readable file"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SiteListError(path, line, "is not UTF-8", "save the list as UTF-8 text") from None
    entries = []
    for number, written in enumerate(text.splitlines(), start=1):
        term = written.strip()
        if not term or term.startswith(COMMENT):
            continue
        _check(path, number, term)
        entries.append(Entry(term, number))
    if not entries:
        raise SiteListError(path, None, "holds no terms", "write one term a line (lines starting with # are comments)")
    return entries


def _check(path: Path, number: int, term: str) -> None:
    if "\t" in term or any(unicodedata.category(character) == "Cc" for character in term):
        raise SiteListError(path, number, "holds a tab or a control character", "write one term a line, no columns")
    if not RUN.search(term):
        raise SiteListError(path, number, "holds no letter or digit", "delete the line, or start it with # ")
    if len(term) > MAX_TERM_CHARS or len(RUN.findall(term)) > MAX_TERM_RUNS:
        raise SiteListError(
            path,
            number,
            f"is longer than a term ({MAX_TERM_CHARS} characters or {MAX_TERM_RUNS} words at most)",
            "write one term a line",
        )


@dataclass(frozen=True)
class RosterName:
    """A person of a roster: the words of the given names and of the family name, as written."""

    given: tuple[str, ...]
    family: tuple[str, ...]


NAME_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*")


def read_roster(path: Path) -> list[RosterName]:
    """The people of the roster at `path`, one a line: `Given Family` or `Family, Given`."""
    people = []
    for entry in read_entries(path):
        if entry.text.count(",") > 1:
            raise SiteListError(
                path, entry.line, "holds more than one comma", "write `Family, Given` or `Given Family`, one a line"
            )
        family, comma, given = entry.text.partition(",")
        words = NAME_WORD.findall(entry.text)
        if not words:
            raise SiteListError(path, entry.line, "holds no name", "write `Family, Given` or `Given Family`")
        if comma:
            people.append(RosterName(tuple(NAME_WORD.findall(given)), tuple(NAME_WORD.findall(family))))
        else:
            people.append(RosterName(tuple(words[:-1]), tuple(words[-1:])))
    return people


class PhraseIndex:
    """Where the terms of a list occur in a text, as whole words, the longest at each place, left to right."""

    def __init__(self, terms: Iterable[str], case_sensitive: bool) -> None:
        self._key = _exact if case_sensitive else fold
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for term in terms:
            runs = tuple(self._key(run) for run in RUN.findall(term))
            if runs:
                self._by_first.setdefault(runs[0], []).append(runs)
        for candidates in self._by_first.values():
            candidates.sort(key=len, reverse=True)
        self.size = sum(len(candidates) for candidates in self._by_first.values())

    def find(self, text: str) -> list[Span]:
        runs = list(RUN.finditer(text))
        found: list[Span] = []
        index = 0
        while index < len(runs):
            length = self._longest_at(text, runs, index)
            if length:
                found.append((runs[index].start(), runs[index + length - 1].end()))
            index += length or 1
        return found

    def _longest_at(self, text: str, runs: list[regex.Match[str]], index: int) -> int:
        for candidate in self._by_first.get(self._key(runs[index].group()), ()):
            if index + len(candidate) > len(runs):
                continue
            following = runs[index : index + len(candidate)]
            if all(
                self._key(run.group()) == key for run, key in zip(following[1:], candidate[1:], strict=True)
            ) and all(
                GAP.fullmatch(text, left.end(), right.start())
                for left, right in zip(following, following[1:], strict=False)
            ):
                return len(candidate)
        return 0


class Occurrences:
    """The places of a list's terms in one text, asked whether one of them covers a span."""

    def __init__(self, spans: list[Span]) -> None:
        self._starts = [start for start, _end in spans]
        self._spans = spans

    def cover(self, start: int, end: int) -> bool:
        before = bisect_right(self._starts, start)
        return before > 0 and self._spans[before - 1][1] >= end


def _exact(run: str) -> str:
    """A run as written, in one Unicode form (`é` composed or not is one letter)."""
    return unicodedata.normalize("NFC", run)
