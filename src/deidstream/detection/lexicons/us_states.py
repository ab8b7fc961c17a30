"""US states, their postal codes and short forms, and the countries notes name beside them.

Source: the fifty states and their USPS two-letter codes (with DC and Puerto
Rico), public facts, not subject to copyright; the short forms (`Calif`, `Penn`) are the traditional
abbreviations. Under HIPAA Safe Harbor a state is not identifying, so place
recognizers skip a name made of these words, and the address recognizers read a
state to find the city and ZIP code beside it.
"""

from __future__ import annotations

STATE_NAMES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip
STATE_CODES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
)  # fmt: skip
# Short forms of state names written in notes (`Calif`, `Mass`).
STATE_SHORT_FORMS = ("fla", "calif", "penn", "mass", "conn", "ariz", "wash")
# Countries and continents named where a state could stand (`moved from Canada`): no more identifying than a state.
COUNTRY_WORDS = ("europe", "canada", "mexico", "usa", "us", "america")

# Regular-expression alternations: a state's name (its words apart by a blank or tab), a state's code.
STATE_NAME_PATTERN = "|".join(name.replace(" ", r"[ \t]") for name in STATE_NAMES)
STATE_CODE_PATTERN = "|".join(STATE_CODES)
# A state on an address line: its code, with or without a period, or its name.
STATE_PATTERN = rf"(?:{STATE_CODE_PATTERN})\.?|{STATE_NAME_PATTERN}"

# Every word of a state's name, a short form, or a country, lower case.
STATE_WORDS = frozenset(
    {word.lower() for name in STATE_NAMES for word in name.split()} | set(STATE_SHORT_FORMS) | set(COUNTRY_WORDS)
)


def is_state(words: list[str]) -> bool:
    """`Texas`, `West Virginia`, `NEW YORK`: states (and countries) are not identifying; every word is a state's."""
    return all(word.lower() in STATE_WORDS for word in words)
