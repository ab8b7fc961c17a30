"""Value generators behind augmentation and training notes: shape classes, casing, names, identifiers."""

from __future__ import annotations

import random
import re

import pytest

from deidstream.tools.training import dates, phones
from deidstream.tools.training.casing import LOWER, TITLE, UPPER, case_of, follow_case
from deidstream.tools.training.identifiers import same_pattern
from deidstream.tools.training.names import family_name, given_name, person


@pytest.mark.parametrize(
    ("text", "source", "shape"),
    [
        ("2009", "", dates.YEAR), ("'09", "", dates.YEAR), ("09", "DateYear", dates.YEAR), ("7/22", "", dates.MONTH_DAY),
        ("July 22", "", dates.MONTH_DAY), ("Jul 22nd", "", dates.MONTH_DAY), ("22-Jul", "", dates.MONTH_DAY),
        ("7/22/11", "", dates.FULL), ("22 Jul 2011", "", dates.FULL), ("22.07.2011", "", dates.FULL),
        ("2011-07-22", "", dates.FULL), ("July 2011", "", dates.MONTH_YEAR), ("7/2011", "", dates.MONTH_YEAR),
        ("01/02/2011 10:31", "", dates.DATE_TIME), ("Christmas", "", dates.HOLIDAY),
    ],
)  # fmt: skip
def test_date_shapes(text: str, source: str, shape: str) -> None:
    assert dates.shape_of(text, source) == shape


def test_every_date_shape_writes_a_date() -> None:
    rng = random.Random(1)
    for shape in dates.SHAPES:
        for _ in range(20):
            written = dates.write_date(dates.random_day(rng), shape, rng)
            assert written and written == written.strip()
            if shape == dates.YEAR:
                assert re.fullmatch(r"\d{4}|'\d\d", written), written


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("x4412", phones.EXTENSION), ("ext. 12", phones.EXTENSION), ("555-1234", phones.LOCAL),
        ("535.937.9907", phones.NATIONAL), ("(633)319-1284x5298", phones.WITH_EXTENSION),
        ("+1-850-875-2917x03423", phones.INTERNATIONAL), ("+44 20 7946 0958", phones.INTERNATIONAL),
    ],
)  # fmt: skip
def test_phone_shapes(text: str, shape: str) -> None:
    assert phones.shape_of(text) == shape


def test_written_phones_keep_their_shape_class() -> None:
    rng = random.Random(2)
    for shape in (phones.EXTENSION, phones.LOCAL, phones.NATIONAL, phones.WITH_EXTENSION):
        for _ in range(30):
            assert phones.shape_of(phones.write_phone(shape, rng)) == shape


def test_casing() -> None:
    assert case_of("SMITH, JOHN") == UPPER and case_of("john smith") == LOWER and case_of("John Smith") == TITLE
    rng = random.Random(3)
    followed = [follow_case("Ana de la Cruz", "MARIA LOPEZ", rng) for _ in range(200)]
    assert 0.7 < sum(value == "ANA DE LA CRUZ" for value in followed) / 200 < 1.0  # mostly, not always


def test_names_have_the_words_asked_for_and_the_variety_wanted() -> None:
    rng = random.Random(4)
    singles = [family_name(rng, 1) for _ in range(2000)]
    assert all(" " not in name for name in singles)
    assert any("-" in name for name in singles) and any("'" in name for name in singles)
    assert any(name.startswith(("Mc", "Mac")) for name in singles)
    assert any(not name.isascii() for name in singles)  # diacritics from the locale mix
    assert all(len(family_name(rng, 3).split()) == 3 for _ in range(50))
    assert all(" " not in given_name(rng) for _ in range(500))
    assert len({person(rng).locale for _ in range(400)}) >= 15


def test_same_pattern_keeps_character_classes() -> None:
    rng = random.Random(5)
    for _ in range(50):
        assert re.fullmatch(r"[A-Z]{2}-\d{5}", same_pattern("QX-10234", rng, vary_length=False))
    assert random.Random(6).random() == random.Random(6).random()
