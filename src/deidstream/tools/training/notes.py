"""Training notes in many clinical styles with exact gold spans, and a JSONL writer for them.

`generate_training_notes(count, seed)` cycles through `styles.STYLES` so every
style is represented even in a small set, and returns `SyntheticReport`s
(id, kind = style name, text, phi spans) like synthetic.py's reports, so both
can be mixed, scored with `deidstream eval`, or turned into `GoldDocument`s for
`augment` with `to_gold`.

    python -m deidstream.tools.training.notes --count 500 --seed 1 > notes.jsonl

writes one `{"id", "kind", "text", "phi": [[start, end, type], ...]}` object per
line, the JSONL format `deidstream eval` reads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence

from deidstream.tools.evaluation import GoldDocument, GoldSpan
from deidstream.tools.synthetic import SyntheticReport
from deidstream.tools.training.styles import CASES, STYLES
from deidstream.tools.training.writer import NoteWriter

STYLE_NAMES = tuple(name for name, _writer, _cases in STYLES)


def generate_training_notes(count: int, seed: int = 0) -> list[SyntheticReport]:
    """`count` notes cycling through every style, identical for identical arguments.

    Each note draws from its own generator seeded by (seed, index), so note `i`
    is the same whatever `count` is: a larger set extends a smaller one.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    notes = []
    for index in range(count):
        name, write, case_weights = STYLES[index % len(STYLES)]
        rng = random.Random(f"training-notes/{seed}/{index}")
        writer = NoteWriter(rng, rng.choices(CASES, weights=case_weights)[0])
        write(writer)
        notes.append(writer.build(f"training-{seed}-{index:05d}", name))
    return notes


def to_gold(report: SyntheticReport) -> GoldDocument:
    """The note as a `GoldDocument`, the input `augment` takes."""
    return GoldDocument(report.id, report.text, [GoldSpan(start, end, kind) for start, end, kind in report.phi])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deidstream.tools.training.notes", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--count", type=int, required=True, help="number of notes")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same notes")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    for note in generate_training_notes(args.count, args.seed):
        sys.stdout.write(json.dumps(note.to_json(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
