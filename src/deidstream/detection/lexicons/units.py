"""Units after a number: what makes it a quantity, a dose or an amount rather than a date, an identifier or a phone.

Source: our own lists (Apache-2.0, as the project) of the units of clinical notes
(SI and US units, drug forms, flows and pressures); no corpus. Each rule reads the units that can
follow what it looks at, so the lists differ on purpose: a date is never
followed by `mg`, but may be followed by `in` (`1945 in Lyon`); a number
after an identifier word is an amount before `hrs` or `am`; a number after a
contact word is no phone number before a volume. Each is a regular-expression
alternation.
"""

from __future__ import annotations

# Units of a quantity: a number or range before one is a measurement (`40 mg`, `2 L/min`, `4-5 L`; MeasurementVeto).
MEASUREMENT_UNITS = (
    r"mg|mcg|µg|ug|g|gm|gms|kg|lb|lbs|oz|ml|mL|cc|l|L|dl|dL|units?|u|iu|IU|meq|mEq|mmol|mol|mmhg|mmHg|cm|mm|"
    r"cmh2o|cmH2O|in|inch|inches|ft|%|bpm|/min|x/min|l/min|L/min|lpm|LPM|breaths|beats|mg/dl|mg/dL|mg/kg|"
    r"mcg/kg/min|mcg/min|mg/hr|ml/hr|mL/hr|cc/hr|units/hr|degrees|deg|°[CF]?|fr|french|gauge|ga|sec|secs|ms|msec|"
    r"mosm|mOsm|ng/ml|ng/mL|pg/ml|iu/l|IU/L|u/l|U/L|k|K|puffs?|tabs?|caps?|drops?|sprays?|amps?|vials?"
)
# Units no date is ever followed by, or holds: doses, volumes, pressures, percentages (`2000 ml`, `12-35%-400`).
DOSE_UNITS = r"mg|mcg|µg|ug|gm|kg|ml|cc|units?|meq|mmol|mmhg|cmh2o|%"
# Units after a value that make it an amount or a time, not an identifier (`identifier 40000 units`).
AMOUNT_UNITS = r"mg|mcg|g|gm|ml|cc|l|units?|u|meq|mmol|kg|lbs?|hrs?|min|am|pm|%"
# Doses and volumes after digits that make them no phone or pager number (`call 5000 ml`).
DOSE_VOLUME_UNITS = r"ml|cc|mg|mcg|units?|l"
# What after a ward's name and a number makes the number a dose, a count or a time (`to Lasix 40 mg`, `x 2 hrs`).
WARD_NUMBER_UNITS = r"mg|mcg|g\b|gm|grams?|meq|mmol|units?|u\b|cc|ml|l\b|%|x\b|hrs?|min|am\b|pm\b"
