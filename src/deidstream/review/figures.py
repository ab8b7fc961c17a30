"""The figures a privacy officer signs off on: recall and precision with exact intervals, residual PHI, power.

Counting is `deidstream eval`'s (`tools.evaluation.score`) on the reviewed reports,
under its strict rule: a PHI span is found only when one detection covers all of it,
since a partly masked name leaks the rest. The intervals are exact: Clopper–Pearson
for proportions (`scipy.stats.binomtest(...).proportion_ci(method="exact")`) and
Garwood's for the rate of missed PHI per 1,000 words (the Poisson count's interval
from the gamma quantiles). Both are conservative: their coverage is at least the
stated 95%, whatever the sample size.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from deidstream.review.store import ReviewedText
from deidstream.tools.evaluation import Report, Tally, score

CONFIDENCE = 0.95
DEFAULT_RECALL_TARGET = 0.95
RULE = "strict"
PER_WORDS = 1000
# The power search stops here: a sample needing more PHI spans than this is not a review.
MOST_PHI = 10_000_000


@dataclass(frozen=True)
class Proportion:
    """`successes` of `trials` with its exact interval; no estimate or interval without trials."""

    successes: int
    trials: int
    estimate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Rate:
    """Missed PHI spans per 1,000 words of the reviewed texts, with its exact interval."""

    missed: int
    words: int
    per_1000_words: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Power:
    """How many more reports to review to show recall >= `target`, if detection keeps doing as it did."""

    target: float
    more_reports: int | None
    sentence: str


@dataclass(frozen=True)
class Figures:
    reviewed_reports: int
    total_reports: int
    quarantined_reports: int
    texts: int
    words: int
    recall: Proportion
    precision: Proportion
    recall_by_type: dict[str, Proportion]
    precision_by_type: dict[str, Proportion]
    residual: Rate
    power: Power
    overlap_rule: dict[str, Proportion] = field(default_factory=dict)
    confidence: float = CONFIDENCE
    rule: str = RULE

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def exact_proportion(successes: int, trials: int, confidence: float = CONFIDENCE) -> Proportion:
    """The Clopper–Pearson interval of `successes / trials`."""
    if trials == 0:
        return Proportion(successes, trials, None, None, None)
    from scipy.stats import binomtest  # imported when figures are asked for: it takes a second

    interval = binomtest(successes, trials).proportion_ci(confidence, method="exact")
    return Proportion(successes, trials, successes / trials, float(interval.low), float(interval.high))


def exact_rate(missed: int, words: int, confidence: float = CONFIDENCE) -> Rate:
    """Garwood's exact interval of a Poisson count, per 1,000 words."""
    if words == 0:
        return Rate(missed, words, None, None, None)
    from scipy.stats import gamma

    tail = (1 - confidence) / 2
    scale = PER_WORDS / words
    low = float(gamma.ppf(tail, missed)) if missed else 0.0
    high = float(gamma.ppf(1 - tail, missed + 1))
    return Rate(missed, words, missed * scale, low * scale, high * scale)


def reports_to_show(found: int, gold: int, reports: int, target: float, confidence: float = CONFIDENCE) -> Power:
    """More reports needed for the interval's lower end to reach `target`, if recall and PHI per report hold.

    Searches the number of PHI spans N whose interval, with the misses at the rate seen
    (round(N x (1 - recall))), has its lower end at or above the target, then converts
    N to reports at the PHI per report seen.
    """
    if gold == 0 or reports == 0:
        return Power(target, None, "No PHI in the reviewed reports yet: review more before any claim on recall.")
    recall = found / gold
    now = exact_proportion(found, gold, confidence)
    if now.low is not None and now.low >= target:
        return Power(target, 0, f"Shown: the interval's lower end {now.low:.3f} is at or above {target:g}.")
    if recall <= target:
        return Power(
            target,
            None,
            f"At the recall seen ({recall:.3f}), no sample will show recall ≥ {target:g}: "
            "improve detection (site lists, policy) and review a new sample.",
        )

    def shown(spans: int) -> bool:
        misses = round(spans * (1 - recall))
        low = exact_proportion(spans - misses, spans, confidence).low
        return low is not None and low >= target

    high = gold
    while not shown(high):
        if high >= MOST_PHI:
            return Power(target, None, f"Recall {recall:.4f} is too close to {target:g} to show with any review.")
        high = min(high * 2, MOST_PHI)
    low = high // 2 if high > gold else gold
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if shown(middle) else (middle, high)
    more = max(1, math.ceil(high * reports / gold) - reports)
    return Power(
        target,
        more,
        f"Review about {more} more reports (about {high - gold} more PHI spans at the rate seen) to show recall "
        f"≥ {target:g} at {confidence:.0%} confidence, if recall stays at {recall:.3f}.",
    )


def compute(
    texts: list[ReviewedText],
    reviewed_reports: int,
    total_reports: int,
    quarantined_reports: int,
    recall_target: float = DEFAULT_RECALL_TARGET,
    confidence: float = CONFIDENCE,
) -> Figures:
    """The figures of the reviewed texts, scored as `deidstream eval` scores a gold set."""
    report = score([text.gold for text in texts], [text.predicted for text in texts])
    overall = report.overall[RULE]
    words = sum(text.words for text in texts)
    return Figures(
        reviewed_reports=reviewed_reports,
        total_reports=total_reports,
        quarantined_reports=quarantined_reports,
        texts=len(texts),
        words=words,
        recall=_recall(overall, confidence),
        precision=_precision(overall, confidence),
        recall_by_type=_by_type(report, "recall", confidence),
        precision_by_type=_by_type(report, "precision", confidence),
        residual=exact_rate(overall.gold - overall.found, words, confidence),
        power=reports_to_show(overall.found, overall.gold, reviewed_reports, recall_target, confidence),
        overlap_rule={
            "recall": _recall(report.overall["overlap"], confidence),
            "precision": _precision(report.overall["overlap"], confidence),
        },
        confidence=confidence,
    )


def _recall(tally: Tally, confidence: float) -> Proportion:
    return exact_proportion(tally.found, tally.gold, confidence)


def _precision(tally: Tally, confidence: float) -> Proportion:
    return exact_proportion(tally.correct, tally.predicted, confidence)


def _by_type(report: Report, measure: str, confidence: float) -> dict[str, Proportion]:
    if measure == "recall":
        return {kind: _recall(tallies[RULE], confidence) for kind, tallies in sorted(report.gold_types.items())}
    return {kind: _precision(tallies[RULE], confidence) for kind, tallies in sorted(report.predicted_types.items())}
