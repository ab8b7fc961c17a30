"""Detection quality and speed: deidstream against Presidio as shipped, same spaCy model, same gold sets.

    python benchmarks/detection_quality.py [GOLD ...]

GOLD defaults to the shipped synthetic set and, when present, the PhysioNet deid
development corpus and the ASQ-PHI validation set beside the repository. Presidio "as shipped" is
`AnalyzerEngine` with all its predefined recognizers over the same model, one
`analyze` call per text as in its documentation; deidstream is its engine on
batches. Both are timed on one core in the same run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from presidio_analyzer import AnalyzerEngine

from deidstream.detection.engine import Engine
from deidstream.detection.settings import EngineSettings
from deidstream.ops.logs import configure_logging
from deidstream.tools.bench.presidio_shipped import presidio_as_shipped
from deidstream.tools.evaluation import GoldDocument, PredictedSpan, Report, load_gold, score

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = [
    REPO_ROOT / "tests" / "data" / "synthetic-reports.jsonl",
    REPO_ROOT.parent / "shared" / "corpora" / "physionet-deid-dev",
    REPO_ROOT.parent / "shared" / "corpora" / "asq-phi-validation" / "queries.jsonl",
]


def run_presidio(analyzer: AnalyzerEngine, documents: list[GoldDocument]) -> list[list[PredictedSpan]]:
    return [
        [PredictedSpan(r.start, r.end, r.entity_type) for r in analyzer.analyze(text=document.text, language="en")]
        for document in documents
    ]


def run_deidstream(engine: Engine, documents: list[GoldDocument]) -> list[list[PredictedSpan]]:
    found = engine.analyze_batch([document.text for document in documents])
    return [[PredictedSpan(e.start, e.end, e.type) for e in entities] for entities in found]


def timed(function, *args) -> tuple[list[list[PredictedSpan]], float]:  # noqa: ANN001 - either runner
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def row(name: str, report: Report, chars: int, seconds: float) -> str:
    overlap, strict = report.overall["overlap"], report.overall["strict"]
    names = report.gold_types["PERSON"]["overlap"].recall if "PERSON" in report.gold_types else float("nan")
    return (
        f"  {name:22}{overlap.recall:>8.3f}{overlap.precision:>8.3f}{overlap.f2:>8.3f}"
        f"{strict.recall:>8.3f}{strict.precision:>8.3f}{names:>8.3f}{chars / seconds / 1000:>10.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="*", type=Path, default=[path for path in DEFAULT_GOLD if path.exists()])
    parser.add_argument("--model", default=EngineSettings().model)
    arguments = parser.parse_args()
    configure_logging("ERROR")

    engine = Engine(EngineSettings(model=arguments.model))
    presidio = presidio_as_shipped(arguments.model)
    print(
        f"model {engine.model_version}; overlap rule: recall precision F2, strict rule: recall precision; "
        "names: overlap recall of PERSON; kchar/s"
    )
    for path in arguments.gold:
        documents = load_gold(path)
        chars = sum(len(document.text) for document in documents)
        print(
            f"{path.name}: {len(documents)} texts, {chars / 1000:.0f} kchar, {sum(len(d.phi) for d in documents)} PHI spans"
        )
        presidio_spans, presidio_seconds = timed(run_presidio, presidio, documents)
        ours, our_seconds = timed(run_deidstream, engine, documents)
        print(row("Presidio as shipped", score(documents, presidio_spans), chars, presidio_seconds))
        print(row("deidstream", score(documents, ours), chars, our_seconds))
        print(f"  speed ratio deidstream / Presidio: {presidio_seconds / our_seconds:.2f}")


if __name__ == "__main__":
    main()
