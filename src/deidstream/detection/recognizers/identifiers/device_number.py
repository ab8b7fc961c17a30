"""Device serial numbers and identifiers (pacemakers, pumps, implants), after their label."""

from __future__ import annotations

from deidstream.detection.base.labelled_identifier import LabelledIdentifierRecognizer
from deidstream.entity import EntityType


class DeviceNumberRecognizer(LabelledIdentifierRecognizer):
    ENTITY = EntityType.DEVICE_ID
    LABELS = r"serial|s/n|sn|device|model|lot|udi|imei|implant|pacemaker|icd|pump|generator|lead"
    BARE_LABELS = r"serial|s/n|sn|udi|imei"
    CONTEXT = ["serial", "device", "model", "lot", "implant"]
