"""Licence, certificate, DEA, NPI and CLIA numbers, after their label."""

from __future__ import annotations

from deidstream.detection.base.labelled_identifier import LabelledIdentifierRecognizer
from deidstream.entity import EntityType


class LicenceNumberRecognizer(LabelledIdentifierRecognizer):
    ENTITY = EntityType.LICENSE_NUMBER
    LABELS = r"licen[cs]e|lic\.?|dea|npi|clia|certificate|cert\.?|registration|permit|passport"
    BARE_LABELS = r"dea|npi|clia"
    CONTEXT = ["license", "licence", "dea", "npi", "clia", "certificate"]
