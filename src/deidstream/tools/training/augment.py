"""Surrogate augmentation: the same document with every gold value swapped for a new one of its type and shape.

A NER model trained on a few hundred notes memorises their names (`Smith` is a
name because it was one in training) instead of learning the contexts that make
a word a name (`spoke with ___`, `Dr ___`, `daughter ___ called`). Variants of a
document keep every context and change every value, so only the context is
worth learning. Values keep the original's shape (one word stays one word,
`Last, First` stays so, an initial stays an initial, a year stays a year, a
seven-digit phone number stays seven digits) because the context was written
for that shape; case follows the original most of the time and is random
otherwise, so case stops being a cue.

The text is rebuilt left to right and each span's offsets are taken as the new
value is appended, so offsets are exact by construction; `augment` then checks
every span against the value it was made for.
"""

from __future__ import annotations

import ipaddress
import random
import re
import unicodedata
from collections.abc import Callable, Iterable

from deidstream.entity import EntityType
from deidstream.tools.evaluation import GoldDocument, GoldSpan
from deidstream.tools.training import dates, phones, places
from deidstream.tools.training.casing import follow_case
from deidstream.tools.training.fakers import faker
from deidstream.tools.training.identifiers import same_pattern
from deidstream.tools.training.names import Name, family_name, given_name, person

MAX_DRAWS = 12
SINGLE_WORD_GIVEN_CHANCE = 0.35
PARTICLE_CHANCE = 0.35  # a name of three or more words gets a spaced particle family (`Ana van der Berg`)
_INITIAL = re.compile(r"[^\W\d_]\.?")
_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,4}")
_BARE_INITIALS = re.compile(r"[^\W\d_]{2,3}")
_TOKEN_EDGES = re.compile(r"^([^\w']*)(.*?)([^\w'.]*)$", re.S)


def augment(document: GoldDocument, rng: random.Random) -> GoldDocument:
    """`document` with each gold span's value replaced by a generated one of the same type; spans shifted to match.

    Overlapping spans (one pair in the PhysioNet dev set, two readings of one
    place) become one span over their union, typed as the longer of them: one
    value can replace one stretch of text, not two interleaved ones. The id is
    kept; `augment_many` gives variants their own ids. A value written more than
    once in the document (`Smith` ... `Smith`) gets the same replacement each
    time, so a variant stays as consistent as the original; different forms of
    one name (`John Smith`, `Smith`) are replaced independently.
    """
    pieces: list[str] = []
    spans: list[GoldSpan] = []
    values: list[str] = []
    chosen: dict[tuple[str, str], str] = {}  # a value written twice is replaced the same way both times
    length = 0
    cursor = 0
    for span in merge_overlaps(document.phi):
        between = document.text[cursor : span.start]
        pieces.append(between)
        length += len(between)
        original = document.text[span.start : span.end]
        key = (span.type, original)
        if key not in chosen:
            chosen[key] = surrogate(span.type, original, rng, span.source_type)
        value = chosen[key]
        pieces.append(value)
        spans.append(GoldSpan(length, length + len(value), span.type, span.source_type))
        values.append(value)
        length += len(value)
        cursor = span.end
    pieces.append(document.text[cursor:])
    text = "".join(pieces)
    for span, value in zip(spans, values, strict=True):
        assert text[span.start : span.end] == value, f"{document.id}: span {span.start}-{span.end} lost its value"
    return GoldDocument(document.id, text, spans)


def merge_overlaps(spans: Iterable[GoldSpan]) -> list[GoldSpan]:
    """Spans sorted by start, overlapping ones merged into their union with the longer span's type."""
    merged: list[GoldSpan] = []
    for span in sorted(spans, key=lambda item: (item.start, item.end)):
        if merged and span.start < merged[-1].end:
            previous = merged[-1]
            longer = previous if previous.end - previous.start >= span.end - span.start else span
            merged[-1] = GoldSpan(previous.start, max(previous.end, span.end), longer.type, longer.source_type)
        else:
            merged.append(span)
    return merged


def augment_many(documents: Iterable[GoldDocument], variants: int, seed: int) -> list[GoldDocument]:
    """`variants` augmented copies of every document (originals not included), in document order.

    Each variant draws from its own generator seeded by (seed, document id,
    variant number), so a document's variants do not change when other
    documents are added, removed or reordered. Ids become `<id>~aug<k>`.
    """
    if variants < 0:
        raise ValueError("variants must not be negative")
    augmented = []
    for document in documents:
        for variant in range(variants):
            rng = random.Random(f"{seed}/{document.id}/{variant}")
            copy = augment(document, rng)
            augmented.append(GoldDocument(f"{document.id}~aug{variant}", copy.text, copy.phi))
    return augmented


def surrogate(entity_type: str, original: str, rng: random.Random, source_type: str = "") -> str:
    """A new value for `original`, never equal to it (compared case-insensitively) unless every draw was."""
    replace = _REPLACERS.get(entity_type, _same_pattern)
    value = original
    for _ in range(MAX_DRAWS):
        value = replace(original, rng, source_type)
        if value.strip() and value.casefold() != original.casefold():
            break
    return value.strip() or original


# ---------------------------------------------------------------- names


def _person(original: str, rng: random.Random, source_type: str = "") -> str:
    """A name written the way `original` is: same tokens (initials stay initials), same comma form, same case."""
    parts = re.split(r"(\s+)", original.strip())
    tokens = parts[0::2]
    comma = next((index for index, token in enumerate(tokens) if token.endswith(",")), None)
    fake = person(rng, family_words=1)
    if comma is not None:  # `Smith, John A.`: family words, then given names
        replaced = _fill(tokens[: comma + 1], fake, rng, source_type, family_first=True)
        replaced += _fill(tokens[comma + 1 :], fake, rng, source_type, family_first=False, given_only=True)
    else:
        replaced = _fill(tokens, fake, rng, source_type, family_first=False)
    parts[0::2] = replaced
    return follow_case("".join(parts), original, rng)


def _fill(
    tokens: list[str], fake: Name, rng: random.Random, source_type: str, family_first: bool, given_only: bool = False
) -> list[str]:
    """New tokens for `tokens`: initials by initials, words by given or family names by position."""
    if not tokens:
        return []
    cores = [_split_token(token) for token in tokens]
    words = [index for index, (_lead, core, _trail) in enumerate(cores) if not _is_initials(core, source_type)]
    new_cores = [core for _lead, core, _trail in cores]
    # Which words are family words: all of them before a comma, else the last word of a name of several tokens.
    if family_first:
        family_slots = words
    elif given_only or len(tokens) == 1:  # a lone word is a family name more often (`Dr. Smith`, `Mr. Lee`)
        family_slots = [] if given_only or rng.random() < SINGLE_WORD_GIVEN_CHANCE else words
    else:
        family_slots = [words[-1]] if words and words[-1] == len(tokens) - 1 else []
        trailing = [index for index in words if index > 0]
        at_the_end = trailing == list(range(len(tokens) - len(trailing), len(tokens)))
        if len(trailing) >= 2 and at_the_end and rng.random() < PARTICLE_CHANCE:  # `Ana de la Cruz`
            family_slots = trailing
    if family_slots:
        family_words = family_name(rng, len(family_slots), fake.locale).split()  # exactly that many words
        for slot, word in zip(family_slots, family_words, strict=True):
            new_cores[slot] = word
    given_pool = [fake.given, fake.middle] + [given_name(rng, locale=fake.locale) for _ in range(len(tokens))]
    for index, (_lead, core, _trail) in enumerate(cores):
        if index in family_slots:
            continue
        if _is_initials(core, source_type):
            new_cores[index] = _new_initials(core, rng)
        else:
            new_cores[index] = given_pool.pop(0)
    return [lead + new + trail for (lead, _core, trail), new in zip(cores, new_cores, strict=True)]


def _split_token(token: str) -> tuple[str, str, str]:
    """Leading and trailing punctuation (`(`, `,`, `;`) kept apart from the name itself; an initial keeps its dot."""
    match = _TOKEN_EDGES.match(token)
    assert match is not None
    lead, core, trail = match.groups()
    if not core:
        return "", token, ""
    return lead, core, trail


def _is_initials(core: str, source_type: str = "") -> bool:
    """`J`, `J.`, `J.S.`; `JS` only when the corpus says the name is initials (`JOHN` in capitals is a name)."""
    if _INITIAL.fullmatch(core) or _DOTTED_INITIALS.fullmatch(core):
        return True
    return source_type == "PTNameInitial" and bool(_BARE_INITIALS.fullmatch(core))


def _new_initials(core: str, rng: random.Random) -> str:
    """`J.` for `K.`, `JS` for `MT`: new capitals, the original's dots; the caller applies the name's case."""
    letters = "ABCDEFGHIJKLMNOPRSTVWZ"
    return "".join(rng.choice(letters) if char.isalpha() else char for char in core)


# ---------------------------------------------------------------- everything else


def _date(original: str, rng: random.Random, source_type: str = "") -> str:
    return follow_case(dates.replacement(original, rng, source_type), original, rng, random_chance=0.05)


def _age(original: str, rng: random.Random, source_type: str = "") -> str:
    """Ages over 89 only are PHI; a written age keeps its words (`92yo` becomes `101yo`)."""
    age = str(rng.randint(90, 110))
    return re.sub(r"\d+", age, original, count=1) if re.search(r"\d", original) else age


def _phone(original: str, rng: random.Random, source_type: str = "") -> str:
    return phones.replacement(original, rng)


def _location(original: str, rng: random.Random, source_type: str = "") -> str:
    return follow_case(places.location_like(original, rng), original, rng)


def _hospital(original: str, rng: random.Random, source_type: str = "") -> str:
    return follow_case(places.hospital_like(original, rng), original, rng)


def _street(original: str, rng: random.Random, source_type: str = "") -> str:
    return follow_case(places.street_address(rng), original, rng)


def _email(original: str, rng: random.Random, source_type: str = "") -> str:
    fake = person(rng)
    local = rng.choice(
        (f"{fake.given}.{fake.family}", f"{fake.given[0]}{fake.family}", f"{fake.family}{rng.randint(1, 99)}")
    )
    domain = faker(rng).free_email_domain() if rng.random() < 0.5 else faker(rng).domain_name()
    return f"{ascii_letters(local)}@{domain}".lower()


def _url(original: str, rng: random.Random, source_type: str = "") -> str:
    return faker(rng).url() + rng.choice(("", "portal", "patients/records", "referral"))


def _ip(original: str, rng: random.Random, source_type: str = "") -> str:
    version = ipaddress.ip_address(original).version if _is_ip(original) else 4
    return faker(rng).ipv6() if version == 6 else faker(rng).ipv4_public()


def _same_pattern(original: str, rng: random.Random, source_type: str = "") -> str:
    return same_pattern(original, rng)


def _fixed_pattern(original: str, rng: random.Random, source_type: str = "") -> str:
    """SSNs and ZIP codes have fixed lengths; only their digits change."""
    return same_pattern(original, rng, vary_length=False)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def ascii_letters(text: str) -> str:
    """`Hájková` as `Hajkova`, for e-mail addresses; letters without an ASCII form and apostrophes are dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() and (char.isalnum() or char in "._-"))


_REPLACERS: dict[str, Callable[[str, random.Random, str], str]] = {
    EntityType.PERSON: _person,
    EntityType.DATE_TIME: _date,
    EntityType.AGE: _age,
    EntityType.PHONE_NUMBER: _phone,
    EntityType.LOCATION: _location,
    EntityType.HOSPITAL: _hospital,
    EntityType.STREET_ADDRESS: _street,
    EntityType.ZIP_CODE: _fixed_pattern,
    EntityType.US_SSN: _fixed_pattern,
    EntityType.EMAIL_ADDRESS: _email,
    EntityType.URL: _url,
    EntityType.IP_ADDRESS: _ip,
}
