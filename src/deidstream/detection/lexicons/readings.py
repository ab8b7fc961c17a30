"""Labels of vital signs, scores, lab values and ventilator settings: what makes the numbers after them readings.

Source: our own lists (Apache-2.0, as the project) of the abbreviations of clinical
charting; no corpus.
Readings are written in the shapes of dates (`BP 110/70`, `PEEP 10/5`, `pain
5/10`, `flowby 6/3`), so the date recognizer reads these labels to leave such
numbers alone, and MeasurementVeto reads them to drop a reading any recognizer
took for a date or an identifier. The lists differ on purpose: each was grown
from the readings that rule met, and each is a regular-expression alternation.
"""

from __future__ import annotations

# Labels of readings written as fractions or ranges (blood pressures, pain, strength, murmurs, reflexes, CVP,
# ventilator settings), within a few words before the numbers: MeasurementVeto.
READING_LABELS = (
    r"bp|b/p|nbp|nibp|abp|art|blood pressure|pressures?|map|pap|cvp|sbp|dbp|hr|rr|vs|vitals?|pain|strength|"
    r"power|motor|murmur|sem|grade|graded|score|scored|rated|reflexes|dtrs?|gcs|apgars?|flow-?by|peep|ps|cpap|"
    r"bipap|simv|imv|vent|ventilator|settings|iabp|pads|plat|plateau|peak|pip|tv|vt|fio2|i:e|ie|ratio"
)
# Vital signs written with the number inside the same span (`RR=22-24`, `HR: 88`, `SpO2 97`): MeasurementVeto.
VITAL_SIGN_LABELS = r"bp|hr|rr|map|cvp|sbp|dbp|spo2|sao2|sat|sats|temp|t|p|r|o2|cpap|bipap|peep|ps|psv|ipap|epap"
# Oxygen delivery devices, the flow or fraction before them (`4L NC`, `100% NRB`): MeasurementVeto.
OXYGEN_DEVICES = (
    r"nc|nrb|nr|fm|hfnc|hfm|nasal\s+cannula|face\s*mask|venti\s*mask|shovel\s*mask|mask|neb|cool\s+neb|trach\s+mask"
)
# Labels right before numbers that are then no month and day (`BP 110/70`, `PEEP: 10/5`, `x 3/4`): the date
# recognizer.
NOT_DATE_LABELS = (
    r"bp|sbp|dbp|abp|nbp|map|b/p|peep|ps|psv|cpap|bipap|pain|score|ratio|i:e|ie|fio2|vt|tv|grade|"
    r"strength|power|motor|rate|x|apgar|gcs|cvp|pap|pas|pcwp|wedge|vent|settings|a/c|imv|simv|rr|hr|co/ci|ci|co|"
    r"lungs?|fluids?|tab|tabs|vs|over"
)
# Words right after numbers that make them a reading, an amount or a duration, not a date (`5/5 strength`,
# `1/2 NS`, `2000 cc`): the date recognizer.
NOT_DATE_AFTER_WORDS = (
    r"mm|mmhg|cm|pain|scale|strength|str|power|motor|ns|nss|tab|tabs|cc|ml|mg|units?|u\b|kcal|"
    r"cal|gm?\b|mcg|meq|mmol|l\b|hrs?\b|hours?|mins?|min\b|%|x\b|assist|ratio|split|psi|bpm|beats|breaths|"
    r"/|h\b|o2|sats?"
)
# Ventilator words on the line before a pair of numbers (`PS 10/5`, `weaning trial 5/5`): the date recognizer.
VENTILATOR_WORDS = (
    r"vent|ventilator|ventilation|settings|peep|ps|psv|ips|cpap|bipap|trial|weaning|wean|fio2|ac|simv|imv|mask"
)
# Ventilator settings right after a pair of numbers (`10/5 40%`, `10/5 PEEP`): the date recognizer.
VENTILATOR_AFTER = r"\d{2}%|bipap|cpap|psv|ips|peep|ps\b|fio2"
# What a score out of ten is of, right after it (`5/10 CP`, `3/6 SEM`): the date recognizer.
SCORE_AFTER_WORDS = r"cp|pain|chest|ha|headache|discomfort|sem|murmur|hsm|sm|ps|peep"
# Words before a score (`pain score 3/10`, `rated 4/10`): the date recognizer.
SCORE_LABELS = r"pain|score|scale|rated|rates|severity"
# Words near `x/10` that make it a pain score (`chest discomfort 6/10`): the date recognizer.
PAIN_WORDS = r"pain|cp|angina|discomfort|ache|aching|pressure|c/o|incisional|ha|headache"
# Units written right against a reading's last number, which make the run a reading (`12/5/14BPM`, `8/5cmH2O`):
# ReadingVeto.
GLUED_READING_UNITS = r"bpm|mmhg|cmh2o|cm|lpm|l/min|breaths|b/min|%"
# Words after a count written as a fraction (`2/4 bottles`, `1/2 sets`): ReadingVeto.
COUNT_AFTER_WORDS = r"bottles?|sets?|specimens?|samples?|vials?"
