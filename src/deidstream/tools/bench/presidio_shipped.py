"""Stage b, the baseline users have today: Presidio as shipped, one `analyze` and one `anonymize` per message.

Presidio's default recognizers and NER mapping, the whole spaCy pipeline, the same
model as deidstream. Its NLP engine gets the model loaded by deidstream's loader:
`AnalyzerEngine()` alone would try to download en_core_web_lg, which offline
machines cannot do and which would not be the same model.
"""

from __future__ import annotations

import time

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_anonymizer import AnonymizerEngine

from deidstream.config import Settings
from deidstream.detection.engine import WARM_UP_TEXT, load_spacy_model
from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.isolated import Ready
from deidstream.tools.bench.measure import Latency, StageResult, Window, in_process_result


def presidio_as_shipped(model: str, language: str = "en") -> AnalyzerEngine:
    """`AnalyzerEngine` with all of Presidio's predefined recognizers over `model`, loaded without any download."""
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": language, "model_name": model}])
    nlp_engine.nlp = {language: load_spacy_model(model)}  # type: ignore[assignment]  # declared None until load()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=[language])


def measure_presidio(corpus: Corpus, settings: Settings, *, ready: Ready) -> StageResult:
    language = settings.engine.language
    analyzer = presidio_as_shipped(settings.engine.model, language)
    anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]  # unannotated in Presidio

    def anonymize(text: str) -> str:
        found = analyzer.analyze(text=text, language=language)
        # Presidio's analyzer and anonymizer each declare a RecognizerResult class; the one is passed as the other.
        return anonymizer.anonymize(text=text, analyzer_results=found).text  # type: ignore[arg-type]

    anonymize(WARM_UP_TEXT)
    ready()
    latencies = []
    with Window() as window:
        for text in corpus.texts:
            started = time.perf_counter()
            anonymize(text)
            latencies.append(time.perf_counter() - started)
    return in_process_result(
        "presidio",
        "Presidio as shipped: analyze + anonymize per message",
        corpus,
        window,
        latency=Latency.of_samples("message", latencies),
        details={
            "recognizers": len(list(analyzer.registry.recognizers)),
            "components": list(load_spacy_model(settings.engine.model).pipe_names),
        },
    )
