"""Scoring PHI detection against gold annotations, as PhysioNet's deid package scores it and more strictly.

Two gold formats are read: the PhysioNet deid corpus (`notes.text` + `gold.phi` +
`gold-phi.phrase`) and JSON lines `{"id", "text", "phi": [[start, end, type], ...]}`.
Offsets are character offsets into the document text, end exclusive.

Rules:
- overlap (PhysioNet's stat.pm): a gold span is found when any predicted span of
  any type overlaps it; a predicted span is a true positive when it overlaps any
  gold span. Lenient on purpose: a detector that masks `Smith` of `John Smith`
  still counts, which is what the published PhysioNet figures mean.
- strict: a gold span is found when one predicted span covers all of it; a
  predicted span is a true positive when it covers at least one gold span. A
  partly masked name leaks the rest, so this is the figure to trust for safety.

Recall is 1.0 when there is nothing to find and precision 1.0 when nothing was
predicted (nothing was wrongly masked), so an empty set never divides by zero;
F2 is then 0.0 whenever gold spans were all missed. F2 = 5PR / (4P + R) weighs
recall four times as much as precision: a missed name is a breach, a false
alarm only lost data.

Misses (gold spans no prediction overlaps) and false alarms (predictions that
overlap no gold span) are listed with their context. THEY CONTAIN PHI: for the
developer's eyes only, never for logs, tickets or CI output.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from deidstream.entity import Entity, EntityType

PHYSIONET_TYPES = {
    "HCPName": EntityType.PERSON,
    "PTName": EntityType.PERSON,
    "PTNameInitial": EntityType.PERSON,
    "RelativeProxyName": EntityType.PERSON,
    "Date": EntityType.DATE_TIME,
    "DateYear": EntityType.DATE_TIME,
    "Location": EntityType.LOCATION,
    "Phone": EntityType.PHONE_NUMBER,
    "Age": EntityType.AGE,
    "Other": EntityType.ID,
}
PHYSIONET_FILES = ("notes.text", "gold.phi", "gold-phi.phrase")
# The note text starts right after the header's newline and runs up to the closing marker, its trailing
# blank line included: gold offsets count from that first character, one character per newline.
PHYSIONET_RECORD = re.compile(r"START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|\n(.*?)\|\|\|\|END_OF_RECORD", re.S)
PHYSIONET_NOTE_HEADER = re.compile(r"Patient (\d+)\tNote (\d+)")
JSONL_SHAPE = (
    '{"id", "text", "phi": [[start, end, type], ...]}' + ' or {"id", "text", "spans": [{"start", "end", "type"}]}'
)
# The ASQ-PHI labels (physician questions, `spans` objects) as deidstream's types; others are taken as they are.
ASQ_TYPES = {
    "NAME": EntityType.PERSON,
    "GEOGRAPHIC_LOCATION": EntityType.LOCATION,
    "DATE": EntityType.DATE_TIME,
    "MEDICAL_RECORD_NUMBER": EntityType.ID,
    "HEALTH_PLAN_BENEFICIARY_NUMBER": EntityType.ID,
    "UNIQUE_IDENTIFIER": EntityType.ID,
    "ACCOUNT_NUMBER": EntityType.ID,
    "CERTIFICATE_LICENSE_NUMBER": EntityType.LICENSE_NUMBER,
    "SOCIAL_SECURITY_NUMBER": EntityType.US_SSN,
    "PHONE_NUMBER": EntityType.PHONE_NUMBER,
    "FAX_NUMBER": EntityType.PHONE_NUMBER,
    "EMAIL_ADDRESS": EntityType.EMAIL_ADDRESS,
}
CONTEXT_CHARS = 30
RULES = ("overlap", "strict")
Z_95 = 1.959963984540054  # the standard normal quantile of 0.975: two-sided 95%

NoteKey = tuple[str, str]  # (patient, note) in the PhysioNet corpus
SpanKey = tuple[str, str, int, int]  # (patient, note, start, end)


@dataclass(frozen=True)
class GoldSpan:
    """A PHI span; `source_type` is the corpus' own type (e.g. PhysioNet `HCPName`) when it differs from deidstream's."""

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
    recognizer: str = ""

    @classmethod
    def of(cls, found: Entity) -> PredictedSpan:
        return cls(found.start, found.end, found.type, found.recognizer)


def load_gold(path: Path) -> list[GoldDocument]:
    """A PhysioNet deid folder (with `notes.text`) or a `.jsonl` file; ValueError saying what was expected otherwise."""
    if not path.exists():
        raise ValueError(f"{path} does not exist; expected a PhysioNet deid folder or a .jsonl file")
    if path.is_dir():
        if not (path / "notes.text").is_file():
            raise ValueError(
                f"{path} is a folder without notes.text; expected the PhysioNet deid layout {PHYSIONET_FILES}"
            )
        return load_physionet(path)
    if path.suffix == ".jsonl":
        return load_jsonl(path)
    raise ValueError(f"{path}: expected a PhysioNet deid folder or a .jsonl file of {JSONL_SHAPE} lines")


def load_physionet(folder: Path) -> list[GoldDocument]:
    """Every note, with or without PHI (notes without PHI are where false alarms show).

    Offsets come from `gold.phi`, types from `gold-phi.phrase`; the two must list
    the same spans, so a corpus whose files drifted apart fails here instead of
    scoring against half its annotations.
    """
    for name in PHYSIONET_FILES:
        if not (folder / name).is_file():
            raise ValueError(f"{folder}: missing {name}; expected the PhysioNet deid layout {PHYSIONET_FILES}")
    notes = _physionet_notes(folder / "notes.text")
    types = _physionet_types(folder / "gold-phi.phrase")
    offsets = _physionet_offsets(folder / "gold.phi")
    documents = [
        GoldDocument(
            f"{patient}-{note}",
            text,
            _physionet_spans(folder, (patient, note), text, offsets.get((patient, note), []), types),
        )
        for (patient, note), text in notes.items()
    ]
    if unknown_notes := sorted(offsets.keys() - notes.keys()):
        raise ValueError(f"{folder / 'gold.phi'}: notes {unknown_notes[:3]} are not in notes.text")
    if unmatched := sorted(types):
        raise ValueError(f"{folder / 'gold-phi.phrase'}: spans {unmatched[:3]} are not in gold.phi")
    return documents


def _physionet_notes(path: Path) -> dict[NoteKey, str]:
    """Note texts by (patient, note); counting the headers catches a record the pattern would silently skip."""
    raw = path.read_text(encoding="latin-1")
    notes = {(patient, note): text for patient, note, text in PHYSIONET_RECORD.findall(raw)}
    if len(notes) != raw.count("START_OF_RECORD="):
        raise ValueError(
            f"{path}: {raw.count('START_OF_RECORD=')} records but {len(notes)} distinct well-formed ones; expected "
            "START_OF_RECORD=<patient>||||<note>|||| newline, text, ||||END_OF_RECORD"
        )
    return notes


def _physionet_types(path: Path) -> dict[SpanKey, str]:
    """Source types by span, from `<patient> <note> <start> <end> <type> <phrase>` lines."""
    types: dict[SpanKey, str] = {}
    for number, line in enumerate(path.read_text(encoding="latin-1").splitlines(), start=1):
        fields = line.split(" ", 5)
        if len(fields) < 5 or not all(value.isdigit() for value in fields[:4]) or fields[4] not in PHYSIONET_TYPES:
            raise ValueError(
                f"{path}:{number}: expected '<patient> <note> <start> <end> <type> <phrase>' "
                f"with type one of {', '.join(PHYSIONET_TYPES)}"
            )
        types[(fields[0], fields[1], int(fields[2]), int(fields[3]))] = fields[4]
    return types


def _physionet_offsets(path: Path) -> dict[NoteKey, list[tuple[int, int]]]:
    """(start, end) by note, from `Patient <p>\\tNote <n>` headers each followed by `start\\tstart\\tend` lines."""
    offsets: dict[NoteKey, list[tuple[int, int]]] = {}
    spans: list[tuple[int, int]] | None = None
    for number, line in enumerate(path.read_text(encoding="latin-1").splitlines(), start=1):
        if header := PHYSIONET_NOTE_HEADER.fullmatch(line):
            spans = offsets.setdefault((header[1], header[2]), [])
            continue
        fields = line.split("\t")
        if spans is None or len(fields) != 3 or not all(value.isdigit() for value in fields):
            raise ValueError(f"{path}:{number}: expected 'Patient <p>\\tNote <n>' or, after one, 'start\\tstart\\tend'")
        spans.append((int(fields[1]), int(fields[2])))
    return offsets


def _physionet_spans(
    folder: Path, note: NoteKey, text: str, offsets: list[tuple[int, int]], types: dict[SpanKey, str]
) -> list[GoldSpan]:
    """The note's spans, each typed by its phrase line; consumed lines leave `types`, so leftovers are unmatched."""
    spans = []
    for start, end in sorted(offsets):
        source_type = types.pop((*note, start, end), None)
        if source_type is None:
            raise ValueError(f"{folder / 'gold.phi'}: span {start}-{end} of note {note} has no line in gold-phi.phrase")
        _check_bounds(start, end, text, f"{folder / 'gold.phi'}: note {note}")
        spans.append(GoldSpan(start, end, PHYSIONET_TYPES[source_type], source_type))
    return spans


def load_jsonl(path: Path) -> list[GoldDocument]:
    """One document per non-blank line; types are taken as they are (deidstream's vocabulary is expected)."""
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            documents.append(_jsonl_document(line, f"{path}:{number}"))
    if not documents:
        raise ValueError(f"{path}: no documents; expected one {JSONL_SHAPE} object per line")
    return documents


def _jsonl_document(line: str, where: str) -> GoldDocument:
    """Error messages name the problem but never echo values, which may be PHI."""
    try:
        item = json.loads(line)
        if "spans" in item:
            spans = [_labelled_span(span) for span in item["spans"]]
        else:
            spans = [GoldSpan(int(start), int(end), str(kind)) for start, end, kind in item["phi"]]
        document = GoldDocument(str(item["id"]), item["text"], spans)
    except (ValueError, KeyError, TypeError) as error:
        reason = f"missing {error}" if isinstance(error, KeyError) else type(error).__name__
        raise ValueError(f"{where}: expected {JSONL_SHAPE} ({reason})") from None
    if not isinstance(document.text, str):
        raise ValueError(f"{where}: expected {JSONL_SHAPE} (text is not a string)")
    for span in spans:
        _check_bounds(span.start, span.end, document.text, where)
    return document


def _labelled_span(span: dict[str, object]) -> GoldSpan:
    """A `{"start", "end", "type"}` object; a corpus label deidstream names otherwise keeps its own as source type."""
    label = str(span["type"])
    kind = ASQ_TYPES.get(label, label)
    return GoldSpan(int(span["start"]), int(span["end"]), kind, label if kind != label else "")  # type: ignore[call-overload]


def _check_bounds(start: int, end: int, text: str, where: str) -> None:
    """Misaligned offsets are the usual gold-file bug; they would score as misses nobody can explain."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: span {start}-{end} is not inside the {len(text)}-character text")


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
    """A missed gold span or a false alarm, with ~30 characters of context each side. Contains PHI."""

    document_id: str
    span: GoldSpan | PredictedSpan
    context: str


def _rule_tallies() -> dict[str, Tally]:
    return {rule: Tally() for rule in RULES}


@dataclass
class Report:
    """Tallies by rule: overall, recall by gold type (deidstream's and the corpus' own), precision by predicted type.

    `misses` and `false_alarms` follow the overlap rule, in document order.
    """

    overall: dict[str, Tally] = field(default_factory=_rule_tallies)
    gold_types: dict[str, dict[str, Tally]] = field(default_factory=dict)
    source_types: dict[str, dict[str, Tally]] = field(default_factory=dict)
    predicted_types: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[Example] = field(default_factory=list)
    false_alarms: list[Example] = field(default_factory=list)


def _overlaps(predicted: PredictedSpan, gold: GoldSpan) -> bool:
    return predicted.start < gold.end and gold.start < predicted.end


def _covers(predicted: PredictedSpan, gold: GoldSpan) -> bool:
    return predicted.start <= gold.start and predicted.end >= gold.end


MATCHES = {"overlap": _overlaps, "strict": _covers}


def score(gold: list[GoldDocument], predicted: list[list[PredictedSpan]]) -> Report:
    """Score predictions, one list per gold document in the same order, under both rules."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} prediction lists")
    report = Report()
    for document, predictions in zip(gold, predicted, strict=True):
        for rule in RULES:
            _score_document(report, rule, document, predictions)
    return report


def _score_document(report: Report, rule: str, document: GoldDocument, predictions: list[PredictedSpan]) -> None:
    matches = MATCHES[rule]
    for span in document.phi:
        found = any(matches(prediction, span) for prediction in predictions)
        slices = [report.overall, _slice(report.gold_types, span.type)]
        if span.source_type:
            slices.append(_slice(report.source_types, span.source_type))
        for tallies in slices:
            tallies[rule].gold += 1
            tallies[rule].found += found
        if rule == "overlap" and not found:
            report.misses.append(Example(document.id, span, _context(document.text, span)))
    for prediction in predictions:
        correct = any(matches(prediction, span) for span in document.phi)
        for tallies in (report.overall, _slice(report.predicted_types, prediction.type)):
            tallies[rule].predicted += 1
            tallies[rule].correct += correct
        if rule == "overlap" and not correct:
            report.false_alarms.append(Example(document.id, prediction, _context(document.text, prediction)))


def _slice(by_type: dict[str, dict[str, Tally]], kind: str) -> dict[str, Tally]:
    return by_type.setdefault(kind, _rule_tallies())


def _context(text: str, span: GoldSpan | PredictedSpan) -> str:
    """The span in [[brackets]] with its surroundings, on one line so a listing stays one row per example."""
    before = text[max(0, span.start - CONTEXT_CHARS) : span.start]
    after = text[span.end : span.end + CONTEXT_CHARS]
    return f"{before}[[{text[span.start : span.end]}]]{after}".replace("\r", "").replace("\n", "⏎")


def format_report(report: Report, show_misses: int = 0) -> str:
    """A table of both rules, overall and per type; with `show_misses`, that many misses and false alarms.

    The misses and false alarms quote the text around each span: THEY CONTAIN PHI,
    for the developer's eyes only. Without `show_misses` the output holds counts only.
    """
    lines = [
        f"{'':24}{'overlap rule':>30}{'strict rule':>30}",
        f"{'':18}{'n':>6}" + f"{'recall':>10}{'precision':>10}{'F2':>10}" * 2,
        _row("all PHI", report.overall, count=report.overall["overlap"].gold),
    ]
    sections = [
        ("recall by gold type:", report.gold_types, "recall"),
        ("recall by corpus type:", report.source_types, "recall"),
        ("precision by predicted type:", report.predicted_types, "precision"),
    ]
    for title, by_type, measure in sections:
        if by_type:
            lines.append(title)
        for name, tallies in sorted(by_type.items()):
            count = tallies["overlap"].gold if measure == "recall" else tallies["overlap"].predicted
            lines.append(_row(f"  {name}", tallies, count, only=measure))
    lines += format_intervals(report)
    if show_misses:
        lines += _examples("missed gold spans", report.misses, show_misses)
        lines += _examples("false alarms", report.false_alarms, show_misses)
    return "\n".join(lines)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default); (0, 1) when there were no trials.

    Unlike the normal approximation it stays inside [0, 1] and is not zero-width at 0 or n successes,
    which matters here: per-type counts are small and recall is close to 1.
    """
    if not 0 <= successes <= trials:
        raise ValueError(f"expected 0 <= successes <= trials, got {successes} of {trials}")
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    spread = z * z / trials
    centre = (share + spread / 2) / (1 + spread)
    half_width = z * math.sqrt(share * (1 - share) / trials + spread / (4 * trials)) / (1 + spread)
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def format_intervals(report: Report) -> list[str]:
    """Counts, recall and precision with their 95% Wilson intervals under the overlap rule, overall and per type.

    A type's row pairs the recall of gold spans of that type with the precision of predictions of that type.
    Counts only, never text.
    """
    lines = [
        "\n95% Wilson intervals, overlap rule",
        f"{'':18}{'found':>7}{'gold':>7}{'recall':>8}  {'interval':16}{'correct':>9}{'predicted':>10}"
        f"{'precision':>10}  interval",
        _interval_row("all PHI", report.overall["overlap"], report.overall["overlap"]),
    ]
    for kind in sorted(report.gold_types.keys() | report.predicted_types.keys()):
        gold = report.gold_types.get(kind, _rule_tallies())["overlap"]
        predicted = report.predicted_types.get(kind, _rule_tallies())["overlap"]
        lines.append(_interval_row(f"  {kind}", gold, predicted))
    return lines


def _interval_row(label: str, gold: Tally, predicted: Tally) -> str:
    recall_low, recall_high = wilson_interval(gold.found, gold.gold)
    precision_low, precision_high = wilson_interval(predicted.correct, predicted.predicted)
    return (
        f"{label:18}{gold.found:>7}{gold.gold:>7}{gold.recall:>8.3f}  [{recall_low:.3f}, {recall_high:.3f}]"
        f"{predicted.correct:>9}{predicted.predicted:>10}{predicted.precision:>10.3f}"
        f"  [{precision_low:.3f}, {precision_high:.3f}]"
    )


def _row(label: str, tallies: dict[str, Tally], count: int, only: str = "") -> str:
    cells = ""
    for rule in RULES:
        tally = tallies[rule]
        values = {"recall": tally.recall, "precision": tally.precision, "F2": tally.f2}
        cells += "".join(f"{value:>10.3f}" if only in ("", name) else f"{'':>10}" for name, value in values.items())
    return f"{label:18}{count:>6}{cells}".rstrip()


def _examples(title: str, examples: list[Example], limit: int) -> list[str]:
    lines = [f"\n{title} ({len(examples)}), first {min(limit, len(examples))}:"]
    for example in examples[:limit]:
        span = example.span
        kind = (span.source_type or span.type) if isinstance(span, GoldSpan) else span.type
        lines.append(f"  {example.document_id:>10} {kind:18} {example.context}")
    return lines


@dataclass
class RuleTally:
    """What one recognizer proposed, or one veto dropped: gold spans it touched and false alarms (overlap rule).

    For a veto, `gold` counts true PHI it dropped and `missed` those of them no kept detection covered any more:
    the PHI the veto leaked. `false_alarms` counts the spans it rightly dropped.
    """

    gold: int = 0
    missed: int = 0
    false_alarms: int = 0


@dataclass
class Attribution:
    recognizers: dict[str, RuleTally] = field(default_factory=dict)
    vetoes: dict[str, RuleTally] = field(default_factory=dict)


def attribute(
    gold: list[GoldDocument], kept: list[list[PredictedSpan]], vetoed: list[list[tuple[PredictedSpan, str]]]
) -> Attribution:
    """Per recognizer and per veto, how many gold spans it found or dropped and how many false alarms.

    A rule that finds no PHI but raises false alarms, or a veto that drops PHI, does not earn its keep.
    """
    attribution = Attribution()
    for document, predictions, dropped in zip(gold, kept, vetoed, strict=True):
        for name, spans in _by_name([(span, span.recognizer or "?") for span in predictions]).items():
            tally = attribution.recognizers.setdefault(name, RuleTally())
            tally.gold += sum(any(_overlaps(span, phi) for span in spans) for phi in document.phi)
            tally.false_alarms += sum(not any(_overlaps(span, phi) for phi in document.phi) for span in spans)
        for name, spans in _by_name(dropped).items():
            tally = attribution.vetoes.setdefault(name, RuleTally())
            touched = [phi for phi in document.phi if any(_overlaps(span, phi) for span in spans)]
            tally.gold += len(touched)
            tally.missed += sum(not any(_overlaps(span, phi) for span in predictions) for phi in touched)
            tally.false_alarms += sum(not any(_overlaps(span, phi) for phi in document.phi) for span in spans)
    return attribution


def _by_name(named: list[tuple[PredictedSpan, str]]) -> dict[str, list[PredictedSpan]]:
    grouped: dict[str, list[PredictedSpan]] = {}
    for span, name in named:
        grouped.setdefault(name, []).append(span)
    return grouped


def format_attribution(attribution: Attribution) -> str:
    """Counts only, never text: safe to paste into an issue."""
    lines = [f"\n{'recognizer':32}{'gold found':>12}{'false alarms':>14}"]
    for name, tally in sorted(attribution.recognizers.items()):
        lines.append(f"  {name:30}{tally.gold:>12}{tally.false_alarms:>14}")
    lines.append(f"\n{'veto':32}{'gold dropped':>12}{'leaked':>8}{'false alarms dropped':>22}")
    for name, tally in sorted(attribution.vetoes.items()):
        lines.append(f"  {name:30}{tally.gold:>12}{tally.missed:>8}{tally.false_alarms:>22}")
    return "\n".join(lines)
