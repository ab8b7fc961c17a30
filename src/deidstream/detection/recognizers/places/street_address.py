"""Street addresses, and the city and ZIP code of an address line: `12 Main Street`, `Bethesda, MD 21204`.

States are not identifying under HIPAA Safe Harbor and stay; the ZIP code is
found after a state abbreviation or a `ZIP` label, never as a bare five digits.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.recognizers.base import ClinicalPatternRecognizer

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
STATE_CODES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|"
    r"OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
STATE_NAMES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    r"Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    r"Mississippi|Missouri|Montana|Nebraska|Nevada|New[ \t]Hampshire|New[ \t]Jersey|New[ \t]Mexico|New[ \t]York|"
    r"North[ \t]Carolina|North[ \t]Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode[ \t]Island|South[ \t]Carolina|"
    r"South[ \t]Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West[ \t]Virginia|Wisconsin|Wyoming"
)
STATE = rf"(?:{STATE_CODES})\.?|{STATE_NAMES}"

# `1234 Oak St, Apt 5`: a number, capitalised name words and a suffix, then an apartment or suite
STREET = (
    rf"(?-i:(?<![\w/.\-])\d{{1,6}}\p{{Lu}}?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:\p{{Lu}}[\p{{L}}'’\-]*\.?[ \t]+){{1,4}}"
    rf"(?:{STREET_SUFFIX})\b\.?(?:,?[ \t]*(?i:apt|apartment|suite|ste|unit|#|fl|floor)\.?[ \t]*#?[\p{{L}}0-9\-]+)?)"
)


class StreetAddressRecognizer(ClinicalPatternRecognizer):
    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        Pattern("number, street name and suffix", STREET, 0.7),
        Pattern("p.o. box", r"(?:\bp\.?[ \t]*o\.?[ \t]*box[ \t]+\d+)", 0.8),
    ]

    CONTEXT = ["address", "street", "lives", "resides"]


class CityOfAddressRecognizer(ClinicalPatternRecognizer):
    """`Bethesda, MD 21204`: the words before `, STATE` on an address line are a city."""

    ENTITY = "LOCATION"

    PATTERNS = [
        Pattern(
            "city before state",
            rf"(?-i:(?<!\p{{L}})(?:\p{{Lu}}[\p{{Ll}}'’\-]+|\p{{Lu}}{{4,}})(?:[ \t](?:\p{{Lu}}[\p{{Ll}}'’\-]+|\p{{Lu}}{{4,}})){{0,2}}"
            rf"(?=,[ \t]*(?:{STATE})(?:[ \t]+\d{{5}}|[ \t]*(?:$|\n|\)))))",
            0.75,
        ),
    ]


class ZipCodeRecognizer(ClinicalPatternRecognizer):
    ENTITY = "ZIP_CODE"
    PATTERNS = [
        Pattern("zip after state", rf"(?-i:\b(?:{STATE})[ \t]+\K\d{{5}}(?:-\d{{4}})?\b)", 0.85),
        Pattern(
            "labelled zip", r"(?i)\b(?:zip|zip[ \t]*code|postal[ \t]*code)[ \t]*[:#]?[ \t]*\K\d{5}(?:-\d{4})?\b", 0.85
        ),
    ]
