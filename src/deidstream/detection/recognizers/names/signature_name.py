"""Names that sign a note: `-- K Aaltonen-Kirk`, `Jordan/mk`, `Dolores (MA)`, alone on the note's last line, or
after its last sentence as an initial and a name (`call light in reach. h park`).

Dictated and typed notes end with who wrote or took them, on a line of their own:
after a signature dash, before the typist's initials (`/mk`) or a bracketed role,
or as the last line itself; nurses often sign right after their last sentence.
The position is the cue, so the line must hold the name and those marks and
nothing else: a bullet (`- Monitor closely`), a heading or a sentence on the last
line is no signature. Each word must be an initial, a particle, a frequent census
name, a listed first name or no English word (`Grant`, `cunningham`, `K
Aaltonen-Kirk`, `VAN DEN MEER`; not `Plan` or `Kdur given`).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.cue_names import NAME_WORD, CueNameRecognizer, names_after
from deidstream.detection.base.recognizers import Span
from deidstream.detection.lexicons.name_ranks import SIGNING_NAME_RANK
from deidstream.detection.lexicons.titles import CREDENTIALS, SIGNING_ROLES

# What may follow a signing name on its line: a credential or a bracketed role, the typist's initials.
ROLE = rf"(?:{CREDENTIALS}|{SIGNING_ROLES})"
LINE_REST = re.compile(
    rf"(?i)[ \t]*(?:,?[ \t]*(?:\b{ROLE}\b|\([ \t]*{ROLE}[ \t]*\)))?(?:/\p{{L}}{{2,3}})?[ \t]*$", re.M
)
DASH = re.compile(r"(?m)^[ \t]*(?:-{1,3}|~)[ \t]*(?=\p{L})")
# The end of the last sentence on a line (the search starts at the last line; nothing but blanks after it).
LAST_SENTENCE_END = re.compile(r"(?<=\p{L}\p{L}|\d)[.!?;][ \t]+(?=[^.!?;\n]*\s*\Z)")
INITIAL_FIRST = re.compile(r"\p{L}\.?[ \t]")
TYPIST_OR_ROLE = re.compile(rf"(?im)(?<=\p{{L}})(?:/\p{{L}}{{2,3}}|[ \t]*\([ \t]*{ROLE}[ \t]*\))[ \t]*$")


class SignatureNameRecognizer(CueNameRecognizer):
    CUE_BEFORE = TYPIST_OR_ROLE
    SCORE = 0.7

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        return self._signs(word)

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        return len(word) == 1 or self._signs(word)

    def _signs(self, word: str) -> bool:
        vocabulary = self._vocabulary
        if len(word) == 1 or vocabulary.is_particle(word):
            return True
        rank = vocabulary.name_rank(word)
        return vocabulary.could_be_name(word) and (
            not vocabulary.is_common_word(word)
            or vocabulary.is_listed_first_name(word)
            or (rank is not None and rank <= SIGNING_NAME_RANK)
        )

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        found = [span for span in super().find(text, nlp_artifacts) if _alone_on_its_line(text, span)]
        last_line = text.rstrip().rfind("\n") + 1
        last_line_text = text[last_line:]
        name_starts = [cue.end() for cue in DASH.finditer(text)]
        name_starts.append(last_line + len(last_line_text) - len(last_line_text.lstrip(" \t")))
        for start in name_starts:
            found += self._signature_at(text, start)
        if last_sentence := LAST_SENTENCE_END.search(text, last_line):
            # `call light in reach. h park`: after a sentence only an initial and a name, the way nurses sign
            found += [
                span for span in self._signature_at(text, last_sentence.end()) if INITIAL_FIRST.match(text, span[0])
            ]
        return found

    def _signature_at(self, text: str, start: int) -> list[Span]:
        """The name starting at `start` when its words sign and nothing but signature marks follow it on its line."""
        for name_start, name_end in names_after(text, start, self._vocabulary, self._signs)[:1]:
            words = NAME_WORD.findall(text, name_start, name_end)
            if LINE_REST.match(text, name_end) and all(self._signs(word) for word in words):
                return [(name_start, name_end)]
        return []


def _alone_on_its_line(text: str, span: Span) -> bool:
    """Nothing but blanks or a signature dash before the name on its line."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    return not text[line_start : span[0]].strip(" \t-~")
