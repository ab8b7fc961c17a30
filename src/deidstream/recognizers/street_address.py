"""Street addresses, and the city and ZIP code of an address line: `12 Main Street`, `Towson, MD 21204`.

States are not identifying under HIPAA Safe Harbor and stay; the ZIP code is
found after a state abbreviation or a `ZIP` label, never as a bare five digits.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.recognizers.base import ClinicalPatternRecognizer

# Short suffixes (`St`, `Dr`, `Ct`) only in title case: in capitals they are sinus tachycardia, doctors, chest tubes.
# Long suffixes from the USPS street suffix list, in any case.
STREET_SUFFIX = (
    r"(?i:street|avenue|road|boulevard|blvd|lane|drive|court|terrace|circle|parkway|pkwy|highway|hwy|"
    r"square|trail|pike|alley|plaza|crossing|bypass|causeway|expressway|freeway|turnpike|trafficway|throughway|"
    r"motorway|skyway|stravenue|radial|gateway|gateways|vista|ridges?|crest|knolls?|cliffs?|lodge|station|"
    r"islands?|keys?|views?|greens?|hills?|ports?|ferry|flats?|shores?|mills?|springs?|summit|valleys?|"
    r"villages?|walks?|wells?|fords?|forges?|forks?|gardens?|glens?|groves?|harbou?rs?|havens?|heights|"
    r"hollow|inlet|junctions?|lakes?|landing|lights?|manors?|meadows?|mission|mounts?|mountains?|orchard|oval|"
    r"overpass|pass|path|pines?|plains?|prairie|ramp|ranch|rapids?|rest|river|route|run|shoals?|spurs?|"
    r"streams?|track|trace|tunnel|underpass|unions?|brooks?|burgs?|bluffs?|bottom|branch|bridge|canyon|cape|"
    r"centers?|commons?|corners?|course|coves?|creek|estates?|extensions?|falls|fields?|fort|grounds?|"
    r"isle|junction|neck|parks?|points?|ville|wall|ways)|St|Ave|Rd|Ln|Dr|Ct|Pl|Place|Way|Ter|Cir|Sq|Trl|Row|Loop|Xing"
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


class StreetAddressRecognizer(ClinicalPatternRecognizer):
    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        Pattern(
            "number, street name and suffix",
            rf"(?-i:(?<![\w/.\-])\d{{1,6}}[A-Z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:[A-Z][A-Za-z'\-]*\.?[ \t]+){{1,4}}"
            rf"(?:{STREET_SUFFIX})\b\.?(?:,?[ \t]*(?i:apt|apartment|suite|ste|unit|#|fl|floor)\.?[ \t]*#?[A-Za-z0-9\-]+)?)",
            0.7,
        ),
        Pattern("p.o. box", r"(?:\bp\.?[ \t]*o\.?[ \t]*box[ \t]+\d+)", 0.8),
    ]

    CONTEXT = ["address", "street", "lives", "resides"]


class CityOfAddressRecognizer(ClinicalPatternRecognizer):
    """`Towson, MD 21204`: the words before `, STATE` on an address line are a city."""

    ENTITY = "LOCATION"

    PATTERNS = [
        Pattern(
            "city before state",
            rf"(?-i:(?<![A-Za-z])(?:[A-Z][a-z'\-]+|[A-Z]{{4,}})(?:[ \t](?:[A-Z][a-z'\-]+|[A-Z]{{4,}})){{0,2}}"
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
