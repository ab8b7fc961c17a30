"""What leaves a review: the sign-off report (one self-contained HTML file and its JSON) and the reviewed gold set.

The sign-off report holds counts, intervals and provenance, and no text of the sample,
unless `include_examples` adds the misses and false alarms with their context: those
quote the reports (PHI) and the files are then written owner-only, like the gold set,
which is the reviewed texts themselves in `deidstream eval`'s JSON lines format.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deidstream.review.figures import DEFAULT_RECALL_TARGET, Figures, Proportion, compute
from deidstream.review.pages import environment
from deidstream.review.store import ReviewedText, ReviewStore
from deidstream.tools.evaluation import score

SIGNOFF_FORMAT = 1
CHART_WIDTH, CHART_ROW, CHART_LABEL, CHART_TOP = 640, 26, 150, 24


def figures_of(store: ReviewStore, recall_target: float = DEFAULT_RECALL_TARGET) -> Figures:
    reviewed, total = store.progress()
    return compute(store.reviewed_texts(), reviewed, total, store.quarantined(), recall_target)


@dataclass(frozen=True)
class ChartRow:
    """One type's recall as drawn: the estimate's and the interval's x in the SVG, the label and the figures."""

    label: str
    y: float
    estimate_x: float
    low_x: float
    high_x: float
    text: str


@dataclass(frozen=True)
class Chart:
    """Recall by type with its intervals, laid out for the SVG the templates draw (no image, no script)."""

    width: int
    height: int
    label_x: int
    axis_low: float
    ticks: list[tuple[float, str]]
    rows: list[ChartRow]


def recall_chart(figures: Figures) -> Chart:
    """All PHI first, then each type with PHI in the sample; the axis starts at the lowest interval end, floored."""
    measured = [("all PHI", figures.recall)] + [
        (kind, proportion) for kind, proportion in figures.recall_by_type.items() if proportion.trials
    ]
    shown = [(label, proportion) for label, proportion in measured if proportion.low is not None]
    lowest = min((proportion.low or 0.0 for _label, proportion in shown), default=0.5)
    axis_low = min(0.9, int(lowest * 10) / 10)
    plot = CHART_WIDTH - CHART_LABEL - 20

    def x(value: float) -> float:
        return round(CHART_LABEL + (value - axis_low) / (1 - axis_low) * plot, 1)

    rows = [
        ChartRow(
            label,
            CHART_TOP + index * CHART_ROW,
            x(proportion.estimate or 0.0),
            x(proportion.low or 0.0),
            x(proportion.high or 0.0),
            f"{proportion.estimate:.3f} [{proportion.low:.3f}, {proportion.high:.3f}] n={proportion.trials}",
        )
        for index, (label, proportion) in enumerate(shown)
    ]
    steps = round((1 - axis_low) * 10)
    ticks = [(x(axis_low + step / 10), f"{axis_low + step / 10:.1f}") for step in range(steps + 1)]
    return Chart(CHART_WIDTH, CHART_TOP + len(rows) * CHART_ROW + 20, CHART_LABEL - 10, axis_low, ticks, rows)


def signoff_data(
    store: ReviewStore, figures: Figures, include_examples: bool = False, exported_at: str | None = None
) -> dict[str, Any]:
    """The sign-off report as data: provenance and figures, counts only unless `include_examples`."""
    provenance = store.provenance
    data: dict[str, Any] = {
        "deidstream_signoff": SIGNOFF_FORMAT,
        "exported_at": exported_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "reviewer": provenance.reviewer,
        "review_created_at": provenance.created_at,
        "source": provenance.source,
        "seed": provenance.seed,
        "sample_size": provenance.sample_size,
        "format": provenance.format,
        "policy": provenance.policy,
        "model_version": provenance.model_version,
        "engine_version": provenance.engine_version,
        "deidstream_version": provenance.deidstream_version,
        "config_sha256": provenance.config_sha256,
        "figures": figures.to_json(),
        "contains_phi": include_examples,
    }
    if include_examples:
        data["examples"] = examples(store.reviewed_texts())
    return data


def examples(texts: list[ReviewedText]) -> dict[str, list[dict[str, str]]]:
    """Misses (PHI no detection touched) and false alarms, as `deidstream eval --show-misses` lists them. PHI."""
    report = score([text.gold for text in texts], [text.predicted for text in texts])
    return {
        "missed": [{"text": e.document_id, "type": e.span.type, "context": e.context} for e in report.misses],
        "false_alarms": [
            {"text": e.document_id, "type": e.span.type, "context": e.context} for e in report.false_alarms
        ],
    }


def signoff_html(data: dict[str, Any], figures: Figures) -> str:
    template = environment().get_template("signoff.html")
    return template.render(data=data, figures=figures, chart=recall_chart(figures), percent=percent)


def percent(proportion: Proportion) -> str:
    """`0.973 [0.951, 0.987]`, or a dash without trials."""
    if proportion.estimate is None:
        return "—"
    return f"{proportion.estimate:.3f} [{proportion.low:.3f}, {proportion.high:.3f}]"


def write_signoff(store: ReviewStore, prefix: Path, include_examples: bool, recall_target: float) -> list[Path]:
    """PREFIX.html and PREFIX.json; owner-only when they hold examples (PHI)."""
    figures = figures_of(store, recall_target)
    data = signoff_data(store, figures, include_examples)
    html_path, json_path = prefix.with_name(prefix.name + ".html"), prefix.with_name(prefix.name + ".json")
    _write(html_path, signoff_html(data, figures), private=include_examples)
    _write(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", private=include_examples)
    return [html_path, json_path]


def write_gold(store: ReviewStore, path: Path) -> int:
    """The reviewed texts with their PHI as `deidstream eval` reads them; returns how many. Holds PHI: owner-only."""
    texts = store.reviewed_texts()
    lines = [
        json.dumps(
            {"id": text.gold.id, "text": text.gold.text, "phi": [[s.start, s.end, s.type] for s in text.gold.phi]},
            ensure_ascii=False,
        )
        for text in texts
    ]
    _write(path, "".join(line + "\n" for line in lines), private=True)
    return len(lines)


def _write(path: Path, content: str, private: bool) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    if private:
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)


def format_figures(figures: Figures) -> str:
    """The figures as a terminal table: counts and intervals only."""
    lines = [
        f"{figures.reviewed_reports} of {figures.total_reports} reports reviewed "
        f"({figures.texts} texts, {figures.words} words; {figures.quarantined_reports} the worker would quarantine)",
        f"strict rule, exact {figures.confidence:.0%} intervals",
        f"{'':22}{'n':>12}  estimate [interval]",
    ]
    sections = [
        ("recall", figures.recall, figures.recall_by_type),
        ("precision", figures.precision, figures.precision_by_type),
    ]
    for title, overall, by_type in sections:
        lines.append(f"{title:22}{overall.successes:>6}/{overall.trials:<5}  {percent(overall)}")
        lines += [f"  {kind:20}{p.successes:>6}/{p.trials:<5}  {percent(p)}" for kind, p in by_type.items()]
    residual = figures.residual
    if residual.per_1000_words is not None:
        lines.append(
            f"residual PHI: {residual.missed} missed in {residual.words} words, {residual.per_1000_words:.2f} "
            f"per 1,000 words [{residual.low:.2f}, {residual.high:.2f}]"
        )
    lines.append(f"power: {figures.power.sentence}")
    return "\n".join(lines)
