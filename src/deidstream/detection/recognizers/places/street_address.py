"""Street addresses, and the town, city and ZIP code of an address line: `12 Main Street`, `Bethesda, MD 21204`,
`lives at 82 Birchwood Lane, Northfield.`, `4 Rue Lepic, Montréal`.

An address line names the street, then the town, then the state and ZIP code.
States are not identifying under HIPAA Safe Harbor and stay; the town is found
by its place after the street, whatever it is called (no list of towns is
complete), and the ZIP code after a state abbreviation or a `ZIP` label, never as
a bare five digits. The recognizers share the street's shape, so they share this
module.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.detection.lexicons.us_states import STATE_PATTERN
from deidstream.entity import EntityType

# Suffixes that are no everyday words, in any case; the USPS suffixes that are (`RUN`, `WELL`, `GREEN`, `VIEW`),
# like the short ones (`St`, `Dr`, `Ct`: sinus tachycardia, doctors, chest tubes), only in title case.
STREET_SUFFIX = (
    r"(?i:street|avenue|road|boulevard|blvd|lane|drive|terrace|parkway|pkwy|highway|hwy|pike|plaza|turnpike|"
    r"expressway|freeway|causeway|trafficway|throughway|motorway|skyway|stravenue)|"
    r"(?:Court|Circle|Square|Trail|Alley|Crossing|Bypass|Radial|Gateways?|Vista|Ridges?|Crest|Knolls?|Cliffs?|Lodge|"
    r"Station|Islands?|Keys?|Views?|Greens?|Hills?|Ports?|Ferry|Flats?|Shores?|Mills?|Springs?|Summit|Valleys?|"
    r"Villages?|Walks?|Wells?|Fords?|Forges?|Forks?|Gardens?|Glens?|Groves?|Harbou?rs?|Havens?|Heights|"
    r"Hollow|Inlet|Junctions?|Lakes?|Landing|Lights?|Manors?|Meadows?|Mission|Mounts?|Mountains?|Orchard|Oval|"
    r"Overpass|Pass|Path|Pines?|Plains?|Prairie|Ramp|Ranch|Rapids?|Rest|River|Route|Run|Shoals?|Spurs?|"
    r"Streams?|Track|Trace|Tunnel|Underpass|Unions?|Brooks?|Burgs?|Bluffs?|Bottom|Branch|Bridge|Canyon|Cape|"
    r"Centers?|Commons?|Corners?|Course|Coves?|Creek|Estates?|Extensions?|Falls|Fields?|Fort|Grounds?|"
    r"Isle|Neck|Parks?|Points?|Ville|Wall|Ways|St|Ave|Rd|Ln|Dr|Ct|Pl|Place|Way|Ter|Cir|Sq|Trl|Row|Loop|Xing|"
    r"Via|Clubs?|Crossroads?|Dams?|Dales?|Divide|Camp|Curve|Crescent|Close|Mews|Drives|Fall|Garden|Harbors?|"
    r"Locks?|Loaf|Motorway|Overlook|Plaza|Roads|Squares?|Stream|Terrace|Throughway|Viaduct|Knoll)"
)
# `1234 Oak St, Apt 5`: a number, capitalised name words and a suffix, then an apartment or suite
STREET = (
    rf"(?-i:(?<![\w/.\-])\d{{1,6}}\p{{Lu}}?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:\p{{Lu}}[\p{{L}}'’\-]*\.?[ \t]+){{1,4}}"
    rf"(?:{STREET_SUFFIX})\b\.?(?:,?[ \t]*(?i:apt|apartment|suite|ste|unit|#|fl|floor)\.?[ \t]*#?[\p{{L}}0-9\-]+)?)"
)


class StreetAddressRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.STREET_ADDRESS
    PATTERNS = [
        Pattern("number, street name and suffix", STREET, 0.7),
        Pattern("p.o. box", r"(?:\bp\.?[ \t]*o\.?[ \t]*box[ \t]+\d+)", 0.8),
    ]

    CONTEXT = ["address", "street", "lives", "resides"]


class CityOfAddressRecognizer(ClinicalPatternRecognizer):
    """`Bethesda, MD 21204`: the words before `, STATE` on an address line are a city."""

    ENTITY = EntityType.LOCATION

    PATTERNS = [
        Pattern(
            "city before state",
            rf"(?-i:(?<!\p{{L}})(?:\p{{Lu}}[\p{{Ll}}'’\-]+|\p{{Lu}}{{4,}})(?:[ \t](?:\p{{Lu}}[\p{{Ll}}'’\-]+|\p{{Lu}}{{4,}})){{0,2}}"
            rf"(?=,[ \t]*(?:{STATE_PATTERN})(?:[ \t]+\d{{5}}|[ \t]*(?:$|\n|\)))))",
            0.75,
        ),
    ]


class ZipCodeRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.ZIP_CODE
    PATTERNS = [
        Pattern("zip after state", rf"(?-i:\b(?:{STATE_PATTERN})[ \t]+\K\d{{5}}(?:-\d{{4}})?\b)", 0.85),
        Pattern(
            "labelled zip", r"(?i)\b(?:zip|zip[ \t]*code|postal[ \t]*code)[ \t]*[:#]?[ \t]*\K\d{5}(?:-\d{4})?\b", 0.85
        ),
    ]


# capitalised words, or words in capitals, of a town name: `Smithborough`, `Glen Ellyn`, `SAINT-LAURENT`
TOWN_WORD = r"(?:\p{Lu}\p{Ll}+(?:['’\-]\p{Lu}?\p{Ll}+)*|\p{Lu}[\p{Lu}'’\-]{2,})"
TOWN = rf"{TOWN_WORD}(?:[ \t]+{TOWN_WORD}){{0,2}}"


class TownOfAddressRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.LOCATION
    PATTERNS = [
        Pattern(
            "town after a street address",
            rf"(?-i:{STREET}[ \t]*,?[ \t]*(?:\n[ \t]*)?\K(?!(?:{STATE_PATTERN})(?![\p{{L}}]))(?:{TOWN})(?=[ \t]*(?:[,.;:)\n]|$|\d{{5}}\b)))",
            0.7,
        ),
    ]
    CONTEXT = ["lives", "address", "resides", "home"]
