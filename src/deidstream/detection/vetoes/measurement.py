"""Dates, ages, numbers and phones that are measurements, doses or clock times: `5 mg`, `120/80`, `0800`, `45`.

A number followed by a unit is a quantity; a blood pressure after `BP` is a
reading; a time of day alone identifies nobody (HIPAA Safe Harbor lists dates,
not times); an age under 90 is not an identifier; a phone number or identifier
without a digit (`x-ray`) is no number.
"""

from __future__ import annotations

import regex

from deidstream.detection import entity

UNITS = (
    r"mg|mcg|µg|ug|g|gm|gms|kg|lb|lbs|oz|ml|mL|cc|l|L|dl|dL|units?|u|iu|IU|meq|mEq|mmol|mol|mmhg|mmHg|cm|mm|"
    r"cmh2o|cmH2O|in|inch|inches|ft|%|bpm|/min|x/min|l/min|L/min|lpm|LPM|breaths|beats|mg/dl|mg/dL|mg/kg|"
    r"mcg/kg/min|mcg/min|mg/hr|ml/hr|mL/hr|cc/hr|units/hr|degrees|deg|°[CF]?|fr|french|gauge|ga|sec|secs|ms|msec|"
    r"mosm|mOsm|ng/ml|ng/mL|pg/ml|iu/l|IU/L|u/l|U/L|k|K|puffs?|tabs?|caps?|drops?|sprays?|amps?|vials?"
)
NUMBER = r"\d+(?:[.,]\d+)?"
QUANTITY = regex.compile(rf"(?i)^(?:{NUMBER}(?:\s*(?:-|to)\s*{NUMBER})?)\s*(?:{UNITS})$")
UNIT_AFTER = regex.compile(rf"(?:\s*(?:-|to)\s*{NUMBER})?\s*(?:{UNITS})(?![\p{{L}}\d])", regex.IGNORECASE)
TIME_OF_DAY = r"(?:(?:[01]?\d|2[0-3])(?::[0-5]\d){1,2}(?:\s*[ap]\.?m\.?)?|(?:[01]?\d|2[0-3])\s*[ap]\.?m\.?)"
# A time of day or a range of them (`14:30`, `3:15-3:45pm`); four digits that are a 24-hour time and no year of
# the last two centuries (`0200`, `1830`, `1153`; not `1994` or `2000`); a ratio (`1:1`, `1:2`).
CLOCK = regex.compile(
    rf"(?i)^(?:at\s+|@\s*)?{TIME_OF_DAY}(?:\s*(?:-|to)\s*{TIME_OF_DAY})?$"
    r"|^(?:0\d|1[0-8]|2[1-3])[0-5]\d(?:\s*h(?:rs?)?)?$"
    r"|^\d:\d$"
)
READING = regex.compile(r"^\d{1,3}/\d{1,3}$")
# Readings and scores written as fractions: blood pressures, pain, strength, murmurs, reflexes.
READING_LABEL = regex.compile(
    r"(?i)\b(?:bp|b/p|nbp|nibp|abp|art|blood pressure|pressures?|map|pap|cvp|sbp|dbp|hr|rr|vs|vitals?|pain|strength|"
    r"power|motor|murmur|sem|grade|graded|score|scored|rated|reflexes|dtrs?|gcs|apgars?|flow-?by|peep|ps|cpap|"
    r"bipap|simv|imv|vent|ventilator|settings|iabp|pads|plat|plateau|peak|pip|tv|vt|fio2|i:e|ie|ratio)\b[\s:=]*"
    r"(?:was|of|is|at|\d{1,3}/\d{1,3}[\s,;]+)*$"
)
NUMERIC_TYPES = frozenset({entity.DATE_TIME, entity.AGE, entity.ID, entity.PHONE_NUMBER})
DIGIT_TYPES = frozenset({entity.ID, entity.PHONE_NUMBER})
# A vital sign written with its label inside the span: `RR=22-24`, `HR: 88`, `SpO2 97`.
LABELLED_VITAL = regex.compile(
    r"(?i)^(?:bp|hr|rr|map|cvp|sbp|dbp|spo2|sao2|sat|sats|temp|t|p|r|o2)\s*[=:]?\s*\d{1,3}(?:\.\d)?(?:\s*[-/]\s*\d{1,3})?%?$"
)
READING_REACH = 30
YOUNGEST_PHI_AGE = 90


class MeasurementVeto:
    name = "MeasurementVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in NUMERIC_TYPES:
            return False
        span = text[start:end].strip()
        if entity_type in DIGIT_TYPES and not any(character.isdigit() for character in span):
            return True
        if QUANTITY.match(span):
            return True
        if regex.fullmatch(NUMBER, span) and UNIT_AFTER.match(text, end):
            return True
        if entity_type == entity.DATE_TIME and CLOCK.match(span):
            return True
        if READING.match(span) and READING_LABEL.search(text, max(0, start - READING_REACH), start):
            return True
        if LABELLED_VITAL.match(span):
            return True
        return entity_type == entity.AGE and span.isdigit() and int(span) < YOUNGEST_PHI_AGE
