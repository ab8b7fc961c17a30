"""The review's figures: exact intervals, residual PHI per 1,000 words, the power line, counted as `eval` counts."""

from __future__ import annotations

import math

import pytest
from scipy.stats import beta, chi2

from deidstream.review.figures import compute, exact_proportion, exact_rate, reports_to_show
from deidstream.review.store import ReviewedText
from deidstream.tools.evaluation import GoldDocument, GoldSpan, PredictedSpan


def clopper_pearson(successes: int, trials: int) -> tuple[float, float]:
    """The textbook form, from beta quantiles, to check the library's exact interval against."""
    low = beta.ppf(0.025, successes, trials - successes + 1) if successes else 0.0
    high = beta.ppf(0.975, successes + 1, trials - successes) if successes < trials else 1.0
    return low, high


@pytest.mark.parametrize(("successes", "trials"), [(0, 10), (10, 10), (57, 60), (1, 1), (480, 500)])
def test_the_interval_is_clopper_pearsons(successes: int, trials: int) -> None:
    proportion = exact_proportion(successes, trials)
    low, high = clopper_pearson(successes, trials)
    assert proportion.low == pytest.approx(low, abs=1e-9)
    assert proportion.high == pytest.approx(high, abs=1e-9)
    assert proportion.estimate == successes / trials


def test_a_known_value_and_no_trials() -> None:
    assert exact_proportion(0, 10).high == pytest.approx(0.3085, abs=1e-4)  # 1 - 0.025 ** (1/10)
    empty = exact_proportion(0, 0)
    assert empty.estimate is None and empty.low is None and empty.high is None


def test_residual_phi_is_a_poisson_rate_per_thousand_words() -> None:
    rate = exact_rate(3, 6000)
    assert rate.per_1000_words == pytest.approx(0.5)
    assert rate.low == pytest.approx(chi2.ppf(0.025, 6) / 2 / 6, rel=1e-9)
    assert rate.high == pytest.approx(chi2.ppf(0.975, 8) / 2 / 6, rel=1e-9)
    none_missed = exact_rate(0, 2000)
    assert none_missed.low == 0.0
    assert none_missed.high == pytest.approx(-math.log(0.025) / 2, rel=1e-9)


def test_the_power_line_with_no_misses_follows_the_exact_bound() -> None:
    # With no miss the lower end is 0.025 ** (1/n): it reaches 0.95 at n = 72 PHI spans.
    power = reports_to_show(found=20, gold=20, reports=10, target=0.95)
    assert power.more_reports == math.ceil(72 * 10 / 20) - 10
    assert exact_proportion(72, 72).low >= 0.95 > exact_proportion(71, 71).low  # type: ignore[operator]


def test_the_power_line_when_shown_impossible_or_unknown() -> None:
    assert reports_to_show(2000, 2000, 100, 0.95).more_reports == 0
    impossible = reports_to_show(90, 100, 10, 0.95)
    assert impossible.more_reports is None and "improve detection" in impossible.sentence
    assert reports_to_show(0, 0, 10, 0.95).more_reports is None


def test_figures_count_like_eval_under_the_strict_rule() -> None:
    texts = [
        ReviewedText(
            # the date a false alarm; "Brack" left out of the first name's detection
            GoldDocument(
                "1:text", "Ansel Brack saw Ona on 3/4.", [GoldSpan(0, 11, "PERSON"), GoldSpan(16, 19, "PERSON")]
            ),
            predicted=[
                PredictedSpan(0, 5, "PERSON"),
                PredictedSpan(16, 19, "PERSON"),
                PredictedSpan(23, 26, "DATE_TIME"),
            ],
            words=6,
        )
    ]
    figures = compute(texts, reviewed_reports=1, total_reports=3, quarantined_reports=0)
    assert (figures.recall.successes, figures.recall.trials) == (1, 2)  # strict: "Ansel" does not cover the name
    assert (figures.precision.successes, figures.precision.trials) == (1, 3)
    assert (figures.overlap_rule["recall"].successes, figures.overlap_rule["precision"].successes) == (2, 2)
    assert figures.recall_by_type["PERSON"].trials == 2
    assert figures.precision_by_type["DATE_TIME"].successes == 0
    assert (figures.residual.missed, figures.residual.words) == (1, 6)
