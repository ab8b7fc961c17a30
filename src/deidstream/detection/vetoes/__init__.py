"""Vetoes: the only rules that drop a candidate span, each showing the span is not PHI."""

from __future__ import annotations

from deidstream.detection.base.veto import Veto
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.vetoes.clinical_term import ClinicalTermVeto
from deidstream.detection.vetoes.duration import DurationVeto
from deidstream.detection.vetoes.english_word import EnglishWordVeto
from deidstream.detection.vetoes.function_word import FunctionWordVeto
from deidstream.detection.vetoes.measurement import MeasurementVeto


def engine_vetoes(vocabulary: Vocabulary) -> list[Veto]:
    return [
        ClinicalTermVeto(vocabulary),
        EnglishWordVeto(vocabulary),
        FunctionWordVeto(vocabulary),
        MeasurementVeto(),
        DurationVeto(),
    ]
