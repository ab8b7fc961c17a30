"""Regenerate src/deidstream/detection/lexicons/data/drugs.txt from the `drug-named-entity-recognition` package.

Run by hand when the drug list should be refreshed (`pip install drug-named-entity-recognition`
first); the worker reads only the text file. The package's dictionary (MIT; DrugBank, MeSH,
MedlinePlus, NHS and Wikipedia names) holds generic and brand names from many countries, and
brands are often invented words that read like names. So a drug name is left out when any public
name list or the place gazetteer holds it (`Rayos`, `Camila`, `Allegra`): the veto that reads this
list must never be the reason a person or a town is dropped.
"""

from __future__ import annotations

import bz2
import pickle
import re
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from faker.config import AVAILABLE_LOCALES
from faker.providers.person import Provider as BasePersonProvider

from deidstream.census import census_first_names, census_surnames
from deidstream.detection.lexicons.vocabulary import fold, place_names

PACKAGE = "drug_named_entity_recognition"
# One word of letters, hyphens inside (`co-trimoxazole`); shorter words are abbreviations of anything.
DRUG_WORD = re.compile(r"[a-z][a-z\-]{3,}[a-z]")
OUTPUT = Path(__file__).resolve().parent.parent / "src/deidstream/detection/lexicons/data/drugs.txt"
HEADER = (
    f"# Drug names from drug-named-entity-recognition {version('drug-named-entity-recognition')} (MIT, Fast Data "
    "Science; DrugBank, MeSH,\n# MedlinePlus, NHS, Wikipedia), one word each, without the words that any census or "
    "Faker name list\n# or the place gazetteer holds. Regenerate with scripts/build_drugs.py.\n"
)


def faker_person_names() -> set[str]:
    """First names and surnames of every Faker locale, folded like the census."""
    names: set[str] = set()
    for locale in AVAILABLE_LOCALES:
        try:
            module = __import__(f"faker.providers.person.{locale}", fromlist=["Provider"])
        except ImportError:
            continue
        provider: type[BasePersonProvider] = module.Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            listed = getattr(provider, attribute, ())
            if isinstance(listed, (list, tuple, dict)):  # some locales compute these in a property instead
                names.update(fold(word) for name in listed for word in name.split())
    return names


def main() -> None:
    dictionary = pickle.loads(bz2.decompress(files(PACKAGE).joinpath("drug_ner_dictionary.pkl.bz2").read_bytes()))
    names = set(census_first_names()) | set(census_surnames()) | faker_person_names()
    places = place_names()
    variants = {word for word in dictionary["drug_variant_to_canonical"] if DRUG_WORD.fullmatch(word)}
    variants |= {word.replace("-", "") for word in variants}  # notes drop the hyphen: `K-Phos` as `Kphos`
    drugs = {word for word in variants if word not in names and word not in places}
    OUTPUT.write_text(HEADER + "\n".join(sorted(drugs)) + "\n", encoding="utf-8")
    print(f"{len(drugs)} drug names written to {OUTPUT}")


if __name__ == "__main__":
    main()
