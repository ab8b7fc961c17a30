"""Detection time on adversarial text shapes: does it grow linearly with the text?

    python benchmarks/adversarial.py [--sizes 25000 50000 100000 200000] [--shape NAME ...]

Each shape (runs of blanks, digits and punctuation, repeated cue words, phone-like
runs, very long tokens, mixed scripts, ...) is written into the middle of an
invented note and grown to each size; `Engine.analyze_batch` is timed on the one
text, in CPU time of this process (wall time on a shared machine measures the
neighbours too). For each doubling of the size the script prints the ratio of the times
(linear: 2.0; target: at most 2.3), and at the largest size the time per
character relative to that of normal notes, the texts of
`tests/data/synthetic-reports.jsonl` analysed as one batch (target: at most 5).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from deidstream.detection.engine import Engine
from deidstream.detection.settings import EngineSettings

REPO_ROOT = Path(__file__).resolve().parents[1]
NORMAL_NOTES = REPO_ROOT / "tests" / "data" / "synthetic-reports.jsonl"
SIZES = (25_000, 50_000, 100_000, 200_000)
MAX_DOUBLING_RATIO = 2.3
MAX_TIMES_NORMAL = 5.0
REPEATS, REPEAT_BELOW_S = 3, 3.0

# An invented note; each shape is written between its two halves.
NOTE_HEAD = (
    "NURSING PROGRESS NOTE 3/14/2031\n"
    "Pt is a 67 yo man admitted from Glenmoor Hospital with CHF. Seen by Dr. Halvorsen Quist this AM.\n"
    "Wife Marguerite called at (617) 555-0143, updated on plan; son Tobias aware.\n"
)
NOTE_TAIL = (
    "\nNEURO: A&O x3, MAE. CV: HR 80s SR, BP 110/70. RESP: LS clear, RA sats 97%.\n"
    "Plan: diurese, f/u echo on 3/16. Pt lives in Brackenridge with wife.\n"
    "Signed by: Ines Okonkwo-Laird, RN\n"
)


def _names(count: int) -> str:
    """Distinct invented surnames after titles: `Dr. Bakazu, Dr. Bakeli, ...`."""
    syllables = ["ba", "ke", "zu", "li", "mo", "ra", "ti", "no", "ve", "sa", "do", "gu"]
    out = []
    for index in range(count):
        word, rest = "", index
        for _ in range(4):
            word += syllables[rest % len(syllables)]
            rest //= len(syllables)
        out.append(f"Dr. {word.title()}, ")
    return "".join(out)


# name -> the unit repeated to fill the shape (`distinct names` is built by `_names` instead)
SHAPES: dict[str, str] = {
    "spaces": " ",
    "tabs": "\t",
    "newlines": "\n",
    "padded columns": "WBC          7.2          4.0-11.0          \n",
    "digits": "0123456789",
    "dashes": "-",
    "slashes": "/",
    "date-like run": "12/",
    "titles": "Dr. ",
    "initials": "J. ",
    "relation words": "wife ",
    "phone-like run": "(410) 555-1234 ",
    "phones run together": "(410)555-1234",
    "long token, letters": "abcdefghij",
    "long token, capitals": "KLMNOPQRST",
    "mixed scripts": "Zoë Brontë café Ελληνικά Русский текст 中文病历记录 ",
    "long CJK token": "中文病历记录医院患者",
    "distinct names": "",  # built by _names
    "relation after names": "Hank Przybylo (son) ",
    "credentials": "V. Finn, RRT ",
    "transfers": "transferred to Quartermain 2 ",
    "normal note": NOTE_HEAD + NOTE_TAIL,
}


def shape_text(shape: str, size: int) -> str:
    """The note with `shape` in its middle, `size` characters long."""
    fill = size - len(NOTE_HEAD) - len(NOTE_TAIL)
    unit = SHAPES[shape]
    body = _names(fill // 10 + 1) if shape == "distinct names" else unit * (fill // len(unit) + 1)
    return NOTE_HEAD + body[:fill] + NOTE_TAIL


def normal_seconds_per_char(engine: Engine) -> float:
    texts = [json.loads(line)["text"] for line in NORMAL_NOTES.read_text(encoding="utf-8").splitlines() if line]
    engine.analyze_batch(texts[:8])  # warm caches
    started = time.process_time()
    engine.analyze_batch(texts)
    return (time.process_time() - started) / sum(map(len, texts))


def timed(engine: Engine, text: str) -> float:
    """The best of up to three runs, as long as they take less than `REPEAT_BELOW_S` together: short times are
    noisy on a shared machine."""
    runs: list[float] = []
    while len(runs) < REPEATS and sum(runs) < REPEAT_BELOW_S:
        started = time.process_time()
        engine.analyze_batch([text])
        runs.append(time.process_time() - started)
    return min(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these shapes (repeatable)")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    shapes = args.shape or list(SHAPES)

    engine = Engine(EngineSettings())
    normal = normal_seconds_per_char(engine)
    print(
        f"normal notes ({NORMAL_NOTES.name}): {normal * 1e6:.1f} us/char ({1 / normal / 1000:.1f} kchar/s)", flush=True
    )
    header = f"{'shape':22}" + "".join(f"{size // 1000:>8}k s" for size in sizes)
    header += "".join(f"{f'{b // 1000}k/{a // 1000}k':>11}" for a, b in zip(sizes, sizes[1:], strict=False))
    header += f"{'vs normal':>11}  ok"
    print(header)
    failures = 0
    for shape in shapes:
        seconds = [timed(engine, shape_text(shape, size)) for size in sizes]
        ratios = [b / a for a, b in zip(seconds, seconds[1:], strict=False)]
        times_normal = seconds[-1] / sizes[-1] / normal
        ok = all(ratio <= MAX_DOUBLING_RATIO for ratio in ratios) and times_normal <= MAX_TIMES_NORMAL
        failures += not ok
        print(
            f"{shape:22}"
            + "".join(f"{value:>10.2f}" for value in seconds)
            + "".join(f"{ratio:>11.2f}" for ratio in ratios)
            + f"{times_normal:>11.2f}  {'yes' if ok else 'NO'}",
            flush=True,
        )
    print(
        f"\ntargets: time ratio per doubling <= {MAX_DOUBLING_RATIO}; "
        f"time per char at {sizes[-1] // 1000}k <= {MAX_TIMES_NORMAL}x normal notes; "
        f"{len(shapes) - failures}/{len(shapes)} shapes met both"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
