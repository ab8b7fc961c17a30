"""Scoring PHI detection against gold annotations, as PhysioNet's deid package scores it and more strictly.

Two gold formats are read: the PhysioNet deid corpus (`notes.text` + `gold.phi` +
`gold-phi.phrase`) and JSON lines `{"id", "text", "phi": [[start, end, type], ...]}`.

Rules:
- overlap (PhysioNet's stat.pm): a gold span is found when any predicted span
  overlaps it; a predicted span is a true positive when it overlaps any gold span.
- strict: a gold span is found when one predicted span covers all of it; a
  predicted span is a true positive when it covers at least one gold span.

Recall and precision are 1.0 when there is nothing to find or nothing was
predicted, so an empty set never divides by zero. F2 weighs recall four times
as much as precision: a missed name is a breach, a false alarm only lost data.
Misses and false alarms are listed with their context: they contain PHI and are
for the developer's eyes only.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from deidstream import entities

PHYSIONET_TYPES = {
    "HCPName": entities.PERSON,
    "PTName": entities.PERSON,
    "PTNameInitial": entities.PERSON,
    "RelativeProxyName": entities.PERSON,
    "Date": entities.DATE_TIME,
    "DateYear": entities.DATE_TIME,
    "Location": entities.LOCATION,
    "Phone": entities.PHONE_NUMBER,
    "Age": entities.AGE,
    "Other": entities.ID,
}
PHYSIONET_RECORD = re.compile(r"START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|\n(.*?)\|\|\|\|END_OF_RECORD", re.S)
CONTEXT_CHARS = 30


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str
    source_type: str = ""


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    phi: list[GoldSpan]


@dataclass(frozen=True)
class PredictedSpan:
    start: int
    end: int
    type: str


def load_gold(path: Path) -> list[GoldDocument]:
    """A PhysioNet deid folder (with `notes.text`) or a `.jsonl` file."""
    if path.is_dir():
        if not (path / "notes.text").is_file():
            raise ValueError(f"{path} is a folder without notes.text; expected the PhysioNet deid corpus layout")
        return load_physionet(path)
    if path.suffix == ".jsonl":
        return load_jsonl(path)
    raise ValueError(f"{path}: expected a PhysioNet deid folder or a .jsonl file of {{id, text, phi}} lines")


def load_physionet(folder: Path) -> list[GoldDocument]:
    """Notes in latin-1; span types from gold-phi.phrase, mapped to deidstream's entity types."""
    text = (folder / "notes.text").read_text(encoding="latin-1")
    spans: dict[tuple[str, str], list[GoldSpan]] = {}
    for line in (folder / "gold-phi.phrase").read_text(encoding="latin-1").splitlines():
        patient, note, start, end, source_type = line.split(" ", 5)[:5]
        span = GoldSpan(int(start), int(end), PHYSIONET_TYPES.get(source_type, entities.ID), source_type)
        spans.setdefault((patient, note), []).append(span)
    return [
        GoldDocument(f"{match[1]}-{match[2]}", match[3], sorted(spans.get((match[1], match[2]), []), key=_position))
        for match in PHYSIONET_RECORD.finditer(text)
    ]


def load_jsonl(path: Path) -> list[GoldDocument]:
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            phi = [GoldSpan(int(start), int(end), str(kind), str(kind)) for start, end, kind in item["phi"]]
            documents.append(GoldDocument(str(item["id"]), item["text"], phi))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: expected {{\"id\", \"text\", \"phi\": [[start, end, type], ...]}} "
                             f"({type(error).__name__})") from None
    return documents


def _position(span: GoldSpan) -> tuple[int, int]:
    return span.start, span.end


@dataclass
class Tally:
    """Counts behind recall and precision, for one rule and one slice (overall or one type)."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def f2(self) -> float:
        recall, precision = self.recall, self.precision
        return 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Example:
    """A missed gold span or a false alarm, with context: contains PHI."""

    document_id: str
    type: str
    context: str


@dataclass
class Report:
    overall: dict[str, Tally] = field(default_factory=lambda: {"overlap": Tally(), "strict": Tally()})
    gold_types: dict[str, dict[str, Tally]] = field(default_factory=dict)
    predicted_types: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[Example] = field(default_factory=list)
    false_alarms: list[Example] = field(default_factory=list)


RULES = ("overlap", "strict")


def _overlaps(a: GoldSpan | PredictedSpan, b: GoldSpan | PredictedSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _covers(predicted: PredictedSpan, gold: GoldSpan) -> bool:
    return predicted.start <= gold.start and predicted.end >= gold.end


MATCHES = {"overlap": _overlaps, "strict": _covers}


def score(gold: list[GoldDocument], predicted: list[list[PredictedSpan]]) -> Report:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predictions")
    report = Report()
    for document, predictions in zip(gold, predicted, strict=True):
        _score_document(report, document, predictions)
    return report


def _score_document(report: Report, document: GoldDocument, predictions: list[PredictedSpan]) -> None:
    for rule in RULES:
        matches = MATCHES[rule]
        for span in document.phi:
            found = any(matches(prediction, span) for prediction in predictions)
            for tally in _tallies(report, rule, span.type, span.source_type, gold_side=True):
                tally.gold += 1
                tally.found += found
            if rule == "overlap" and not found:
                report.misses.append(Example(document.id, span.source_type or span.type, _context(document.text, span)))
        for prediction in predictions:
            correct = any(matches(prediction, span) for span in document.phi)
            for tally in _tallies(report, rule, prediction.type, "", gold_side=False):
                tally.predicted += 1
                tally.correct += correct
            if rule == "overlap" and not correct:
                report.false_alarms.append(Example(document.id, prediction.type, _context(document.text, prediction)))


def _tallies(report: Report, rule: str, kind: str, source_kind: str, gold_side: bool) -> list[Tally]:
    by_type = report.gold_types if gold_side else report.predicted_types
    tallies = [report.overall[rule]]
    for name in {kind, source_kind} - {""}:
        tallies.append(by_type.setdefault(name, {r: Tally() for r in RULES})[rule])
    return tallies


def _context(text: str, span: GoldSpan | PredictedSpan) -> str:
    before = text[max(0, span.start - CONTEXT_CHARS) : span.start]
    after = text[span.end : span.end + CONTEXT_CHARS]
    return f"{before}[[{text[span.start : span.end]}]]{after}".replace("\n", "⏎")


def format_report(report: Report, show_misses: int = 0) -> str:
    """A table of both rules overall and per type; with `show_misses`, that many misses and false alarms (PHI!)."""
    lines = [f"{'':24}{'overlap rule':>30}{'strict rule':>30}", f"{'':24}" + f"{'recall':>10}{'precision':>10}{'F2':>10}" * 2]
    lines.append(_row("all PHI", report.overall, count=report.overall["overlap"].gold))
    lines.append("recall by gold type:")
    for name, tallies in sorted(report.gold_types.items()):
        lines.append(_row(f"  {name}", tallies, count=tallies["overlap"].gold, only="recall"))
    lines.append("precision by predicted type:")
    for name, tallies in sorted(report.predicted_types.items()):
        lines.append(_row(f"  {name}", tallies, count=tallies["overlap"].predicted, only="precision"))
    if show_misses:
        lines.append(f"\nmissed gold spans ({len(report.misses)}), first {show_misses}:")
        lines += [f"  {e.document_id:>10} {e.type:18} {e.context}" for e in report.misses[:show_misses]]
        lines.append(f"\nfalse alarms ({len(report.false_alarms)}), first {show_misses}:")
        lines += [f"  {e.document_id:>10} {e.type:18} {e.context}" for e in report.false_alarms[:show_misses]]
    return "\n".join(lines)


def _row(label: str, tallies: dict[str, Tally], count: int, only: str = "") -> str:
    cells = ""
    for rule in RULES:
        tally = tallies[rule]
        values = {"recall": tally.recall, "precision": tally.precision, "F2": tally.f2}
        cells += "".join(
            f"{values[name]:>10.3f}" if not only or name == only else f"{'':>10}" for name in ("recall", "precision", "F2")
        )
    return f"{label:18}{count:>6}{cells}"
