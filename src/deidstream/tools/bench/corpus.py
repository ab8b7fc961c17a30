"""The texts a benchmark runs on: generated synthetic reports, or the texts of a gold-standard file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from deidstream.tools.evaluation import load_physionet
from deidstream.tools.synthetic import generate_reports


@dataclass(frozen=True)
class Corpus:
    """Texts plus how they were made, so that a soak can ask for more of the same kind.

    Generated corpora give fresh reports on every round (new names, numbers and
    dates, as a real stream brings); a file corpus can only be repeated.
    """

    texts: list[str]
    source: str
    seed: int = 0
    min_chars: int = 0

    @property
    def chars(self) -> int:
        return sum(len(text) for text in self.texts)

    def round(self, number: int) -> list[str]:
        """The texts of soak round `number`: round 0 is the corpus itself."""
        if number == 0 or self.source != "generated":
            return self.texts
        return [report.text for report in generate_reports(len(self.texts), self.seed + number, self.min_chars)]

    def describe(self) -> dict[str, object]:
        return {
            "source": self.source,
            "messages": len(self.texts),
            "chars": self.chars,
            "mean_chars": round(self.chars / max(len(self.texts), 1)),
            "seed": self.seed if self.source == "generated" else None,
            "min_chars": self.min_chars if self.source == "generated" else None,
        }


def generated_corpus(count: int, seed: int, min_chars: int) -> Corpus:
    return Corpus([report.text for report in generate_reports(count, seed, min_chars)], "generated", seed, min_chars)


def file_corpus(path: Path, limit: int | None) -> Corpus:
    """A PhysioNet deid folder (its notes) or JSON lines whose objects carry a `text` field (e.g. `generate` output)."""
    if path.is_dir():
        texts = [document.text for document in load_physionet(path)]
    else:
        lines = enumerate(path.read_text("utf-8").splitlines(), start=1)
        texts = [_text(line, number, path) for number, line in lines if line.strip()]
    texts = texts[:limit] if limit is not None else texts
    if not texts:
        raise ValueError(f"{path}: no texts")
    return Corpus(texts, str(path))


def _text(line: str, number: int, path: Path) -> str:
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        raise ValueError(f"{path} line {number}: not JSON; expected objects with a 'text' field") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        message = f"{path} line {number}: expected an object with a string 'text' field"
        raise ValueError(message)  # noqa: TRY004 - a malformed file, which the command reports as a usage error
    return str(item["text"])
