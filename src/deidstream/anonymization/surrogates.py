"""Realistic fake values chosen by a keyed hash of the original, the same in every process and on every machine.

Each value is drawn from one Faker instance re-seeded, per value, from
HMAC(key, kind + canonical original): no global random state, so the surrogate of
`John Smith` depends only on the secret, the original and the Faker release
(pinned in pyproject.toml, because its word lists decide the values). Names are
replaced word by word (given names by given names of the same sex, family names by
family names), so that a family name maps to one fake family name in every
spelling and in every relative's name. Numbers keep their shape. A draw that
would give back the original, or contain it, is drawn again.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import string
from collections.abc import Callable
from functools import partial

from faker import Faker
from faker.providers.person.en_US import Provider as UsPersonNames

from deidstream.anonymization.normalize import NameRoles, NameWord, canonical, name_words
from deidstream.entity import EntityType

MAX_DRAWS = 16
FEMALE_NAMES = frozenset(name.casefold() for name in UsPersonNames.first_names_female)
MALE_NAMES = frozenset(name.casefold() for name in UsPersonNames.first_names_male)
# Trailing words that say what kind of facility a name is; kept so a clinic stays a clinic.
FACILITY_WORDS = frozenset(
    {
        "hospital", "hospitals", "medical", "health", "center", "centre", "clinic", "clinics", "infirmary",
        "institute", "hospice", "rehabilitation", "nursing", "home", "care", "memorial", "general", "community",
        "regional", "university", "county", "children's",
    }
)  # fmt: skip
FACILITY_FALLBACK = ("Hospital", "Medical Center", "Clinic")


class Surrogates:
    """Fake values for one secret; cheap per value (one HMAC and one re-seed), one per process, not thread-safe."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._fake = Faker("en_US")
        # Kinds Faker makes whole; names, facilities and numbers have their own rules below.
        self._fakers: dict[str, Callable[[Faker, str], str]] = {
            EntityType.LOCATION: lambda fake, text: fake.city(),
            EntityType.STREET_ADDRESS: lambda fake, text: f"{fake.building_number()} {fake.street_name()}",
            EntityType.EMAIL_ADDRESS: lambda fake, text: fake.email(),
            EntityType.URL: lambda fake, text: fake.url(),
            EntityType.IP_ADDRESS: lambda fake, text: fake.ipv6() if ":" in text else fake.ipv4(),
        }

    def replace(self, entity_type: str, text: str, known_roles: NameRoles | None = None) -> str | None:
        """A surrogate for `text`, or None in the (practically impossible) case that every draw hit the original.

        `known_roles` says which name words the message's fields gave as given or family names (see `name_words`).
        """
        if entity_type == EntityType.PERSON:
            return self._name(text, known_roles)
        if entity_type == EntityType.HOSPITAL:
            return self._facility(text)
        key = canonical(entity_type, text)
        faker = self._fakers.get(entity_type)
        if faker is not None:
            surrogate = self._draw(entity_type, key, lambda fake: faker(fake, text))
            return None if surrogate is None else _case_like(text, surrogate)
        keep_letters = entity_type == EntityType.PHONE_NUMBER  # `x` and `ext` mark extensions
        return self._draw(entity_type, key, lambda fake: _same_shape(fake, text, keep_letters))

    def _name(self, text: str, known_roles: NameRoles | None) -> str | None:
        replaced = text
        for word in reversed(name_words(text, known_roles)):
            if word.role == "kept":
                continue
            surrogate = self._draw(f"{EntityType.PERSON}-{word.role}", word.key, partial(_name_word, word=word))
            if surrogate is None:
                return None
            replaced = replaced[: word.start] + _case_like(word.text, surrogate) + replaced[word.end :]
        return replaced

    def _facility(self, text: str) -> str | None:
        words = text.split()
        kind: list[str] = []
        while words and words[-1].casefold() in FACILITY_WORDS:
            kind.insert(0, words.pop())

        def make(fake: Faker) -> str:
            return f"{fake.last_name()} {' '.join(kind) or fake.random_element(FACILITY_FALLBACK)}"

        surrogate = self._draw(EntityType.HOSPITAL, canonical(EntityType.HOSPITAL, text), make)
        return None if surrogate is None else _case_like(text, surrogate)

    def _draw(self, kind: str, key: str, make: Callable[[Faker], str]) -> str | None:
        """`make` run on a Faker seeded from HMAC(key, kind, canonical), again until it differs from the original."""
        for attempt in range(MAX_DRAWS):
            digest = hmac.digest(self._key, f"{kind}\x00{key}\x00{attempt}".encode(), hashlib.sha256)
            self._fake.seed_instance(int.from_bytes(digest[:16], "big"))
            value = make(self._fake)
            if not _reproduces(value, key):
                return value
        return None


def _name_word(fake: Faker, word: NameWord) -> str:
    if word.role == "family":
        return fake.last_name()
    if word.role == "initial":
        return fake.random_uppercase_letter() + word.text[1:]
    if word.key in FEMALE_NAMES and word.key not in MALE_NAMES:
        return fake.first_name_female()
    if word.key in MALE_NAMES and word.key not in FEMALE_NAMES:
        return fake.first_name_male()
    return fake.first_name()


def _same_shape(fake: Faker, text: str, keep_letters: bool) -> str:
    """Every digit replaced by a digit, every letter by a letter of the same case; separators kept."""
    rng: random.Random = fake.random
    chars = []
    for char in text:
        if char.isdigit():
            chars.append(rng.choice(string.digits))
        elif char.isalpha() and not keep_letters:
            letter = rng.choice(string.ascii_lowercase)
            chars.append(letter.upper() if char.isupper() else letter)
        else:
            chars.append(char)
    return "".join(chars)


def _reproduces(value: str, key: str) -> bool:
    """Whether a surrogate gives the original back, whole or (for originals of three or more characters) inside it."""
    bare = "".join(char for char in value.casefold() if char.isalnum())
    original = "".join(char for char in key.casefold() if char.isalnum())
    return bare == original or (len(original) >= 3 and original in bare)


def _case_like(original: str, surrogate: str) -> str:
    """The surrogate in the original's case: `SMITH` gives upper case, `smith` lower case, else Faker's own."""
    letters = [char for char in original if char.isalpha()]
    if letters and all(char.isupper() for char in letters) and len(letters) > 1:
        return surrogate.upper()
    if letters and all(char.islower() for char in letters):
        return surrogate.lower()
    return surrogate
