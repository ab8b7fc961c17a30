"""Medical record, file, accession, account, encounter and other record numbers, after their label."""

from __future__ import annotations

from deidstream.detection.base.labelled_identifier import LabelledIdentifierRecognizer
from deidstream.entity import EntityType


class RecordNumberRecognizer(LabelledIdentifierRecognizer):
    ENTITY = EntityType.ID
    LABELS = (
        r"mr|medical[ \t]+record|record|chart|file|acct|account|accession|acc|encounter|enc|visit|case|"
        r"specimen|order|requisition|req|patient|pt|member|subscriber|policy|claim|group|ref|reference|"
        r"unit|hospital|admission|fin|csn|har|empi|billing|invoice|study|exam|report|episode|rx|prescription|"
        r"plan|insurance|beneficiary"
    )
    BARE_LABELS = (
        r"mrn|mr#|acct|accession|medical[ \t]+record[ \t]+number|account[ \t]+number|patient[ \t]+id|fin|csn|har|"
        r"empi|"
        r"med\.?[ \t]+rec(?:ord)?\.?|prior[ \t]+specimen|specimen"
    )
    CONTEXT = ["mrn", "record", "file", "account", "accession", "encounter", "number", "id"]
