"""The Presidio adapter: what deidstream relies on in Presidio's private API, pinned here so an upgrade fails here first.

The NER-only batch and lemmas on demand give the same entities and lemmas as the
whole pipeline, paid for only when read; the analyzer hands each recognizer the
artifacts of the batch, so batch results reach it; the linear context enhancer
reads the same words as Presidio's; and the private methods and attributes the
adapter overrides or provides are still those Presidio has.
"""

from __future__ import annotations

import inspect
from unittest.mock import patch

import pytest
import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, PatternRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from deidstream.detection.base.recognizers import Parts
from deidstream.detection.catalogue import SiteLists, configure
from deidstream.detection.engine import Engine
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.presidio_adapter import (
    ZONE_BATCHES,
    KeepsBatchResults,
    LazyLemmaArtifacts,
    LazyLemmaNlpEngine,
    LinearContextEnhancer,
    batch_components,
)
from deidstream.detection.recognizers.contacts.phone import ClinicalPhoneRecognizer
from deidstream.detection.settings import DEFAULT_MODEL, EngineSettings

NOTES = [
    # `HAD` is lemmatized `have` only with the parser's dependencies (they make it AUX or VERB).
    "GI: HAD 2 SOFT STOOLS. Pt called wife Mary at home. Seen by Dr. Okonkwo on 3/4.",
    "MRN: 4459123. Phone 617-555-0199. Patient is a 93 yo man transferred from Springfield General.",
]


@pytest.fixture(scope="module")
def whole_pipeline() -> spacy.language.Language:
    return spacy.load(DEFAULT_MODEL)


def _engine(sentence_boundaries: bool, context_recognizers: list[EntityRecognizer] | None = None) -> LazyLemmaNlpEngine:
    keep_every_label = NerModelConfiguration(labels_to_ignore=[])
    return LazyLemmaNlpEngine(
        spacy.load(DEFAULT_MODEL),
        "en",
        sentence_boundaries,
        context_recognizers or [],
        ner_model_configuration=keep_every_label,
    )


def test_the_batch_runs_the_ner_and_with_sentence_boundaries_the_parser_and_its_embedding(
    whole_pipeline: spacy.language.Language,
) -> None:
    assert batch_components(whole_pipeline, sentence_boundaries=False) == ["ner"]
    assert batch_components(whole_pipeline, sentence_boundaries=True) == ["tok2vec", "parser", "ner"]


@pytest.mark.parametrize("sentence_boundaries", [False, True])
def test_lemmas_are_computed_when_first_read_and_equal_the_whole_pipelines(
    whole_pipeline: spacy.language.Language, sentence_boundaries: bool
) -> None:
    engine = _engine(sentence_boundaries)
    expected_docs = list(whole_pipeline.pipe(NOTES))
    # Artifacts are used while the batch is iterated: its memory zone closes after the last one.
    for (_text, artifact), expected in zip(engine.process_batch(NOTES, "en", batch_size=2), expected_docs, strict=True):
        assert not artifact.tokens.has_annotation("LEMMA"), "no lemmas before they are read"
        assert artifact.lemmas == [token.lemma_ for token in expected]
        assert artifact.tokens_indices == [token.idx for token in expected]
        assert artifact.tokens.has_annotation("LEMMA")


def test_documents_where_a_context_recognizer_finds_something_are_lemmatized_together_before_use(
    whole_pipeline: spacy.language.Language,
) -> None:
    engine = _engine(sentence_boundaries=False, context_recognizers=[ClinicalPhoneRecognizer()])
    for (_text, artifact), expected in zip(engine.process_batch(NOTES, "en"), whole_pipeline.pipe(NOTES), strict=True):
        has_phone = "Phone" in artifact.tokens.text
        assert artifact.lemmatized == has_phone, "only the note with a phone number, before its lemmas are read"
        assert artifact.lemmas == [token.lemma_ for token in expected]


def test_a_recognizer_with_context_words_runs_once_per_document_and_the_analyzer_gets_what_it_found() -> None:
    phone = ClinicalPhoneRecognizer()
    engine = _engine(sentence_boundaries=False, context_recognizers=[phone])
    expected = [phone.analyze(text, ["PHONE_NUMBER"]) for text in NOTES]
    with patch.object(PatternRecognizer, "analyze", autospec=True, side_effect=PatternRecognizer.analyze) as runs:
        for (text, artifact), before in zip(engine.process_batch(NOTES, "en"), expected, strict=True):
            found = phone.analyze(text, ["PHONE_NUMBER"], artifact)
            assert [(r.start, r.end, r.score) for r in found] == [(r.start, r.end, r.score) for r in before]
            assert not artifact.found, "each list of results is handed over once"
        assert runs.call_count == len(NOTES)
        phone.analyze(NOTES[1], ["PHONE_NUMBER"])
        assert runs.call_count == len(NOTES) + 1, "without a batch's artifacts it runs as any pattern recognizer"


def test_every_recognizer_with_context_words_keeps_its_batch_results(vocabulary: Vocabulary) -> None:
    """Else it would run twice per document: once to decide on lemmas, once in the analyzer."""
    recognizers = configure(EngineSettings(), Parts(vocabulary), SiteLists()).recognizers
    with_context = [recognizer for recognizer in recognizers if recognizer.context]
    assert with_context
    assert [r.name for r in with_context if not isinstance(r, KeepsBatchResults)] == []


def test_the_vocabulary_forgets_the_texts_of_earlier_batches() -> None:
    """Batches run in spaCy memory zones, so new names and numbers do not accumulate in a long-running worker."""
    engine = _engine(sentence_boundaries=False)
    strings = engine.nlp["en"].vocab.strings
    before = len(strings)
    for _text, artifact in engine.process_batch(["Zyxwvut Qwertyuiop was seen with MRN 99887766."], "en"):
        assert artifact.lemmas
    assert "Zyxwvut" in strings, "kept for a few batches, so everyday words need not be looked up again"
    for _ in range(ZONE_BATCHES):
        list(engine.process_batch(["Seen today."], "en"))
    assert "Zyxwvut" not in strings and len(strings) <= before + 2


def test_with_sentence_boundaries_the_entities_are_the_whole_pipelines(whole_pipeline: spacy.language.Language) -> None:
    engine = _engine(sentence_boundaries=True)
    found = [[(e.start_char, e.end_char) for e in a.entities] for _t, a in engine.process_batch(NOTES, "en")]
    assert found == [[(e.start_char, e.end_char) for e in doc.ents] for doc in whole_pipeline.pipe(NOTES)]


# What the adapter overrides or calls of Presidio's private API, with the parameters it passes.
PRIVATE_METHODS = [
    (SpacyNlpEngine, "_doc_to_nlp_artifact", ["self", "doc", "language"]),
    (SpacyNlpEngine, "_get_entities", ["self", "doc"]),
    (SpacyNlpEngine, "_get_updated_entities", ["self", "entities", "scores"]),
    (SpacyNlpEngine, "_get_scores_for_entities", ["self", "doc"]),
    (LemmaContextAwareEnhancer, "_extract_surrounding_words", ["self", "nlp_artifacts", "word", "start"]),
]


@pytest.mark.parametrize(
    ("owner", "method", "parameters"), PRIVATE_METHODS, ids=lambda item: getattr(item, "__name__", "")
)
def test_the_private_methods_the_adapter_uses_are_still_presidios(
    owner: type, method: str, parameters: list[str]
) -> None:
    assert list(inspect.signature(getattr(owner, method)).parameters) == parameters


def test_the_public_signatures_the_adapter_overrides_are_still_presidios() -> None:
    batch = inspect.signature(SpacyNlpEngine.process_batch).parameters
    assert list(batch)[:5] == ["self", "texts", "language", "batch_size", "n_process"]
    analyze = inspect.signature(PatternRecognizer.analyze).parameters
    assert list(analyze) == ["self", "text", "entities", "nlp_artifacts", "regex_flags"]


def test_lazy_artifacts_hold_every_attribute_presidios_constructor_sets(
    whole_pipeline: spacy.language.Language,
) -> None:
    """`LazyLemmaArtifacts` skips `NlpArtifacts.__init__`: every attribute Presidio sets there must be provided, with
    the same values once the lemmas are read."""
    engine = _engine(sentence_boundaries=False)
    doc = whole_pipeline(NOTES[0])
    presidio = NlpArtifacts(list(doc.ents), doc, [t.idx for t in doc], [t.lemma_ for t in doc], engine, "en")
    ((_text, lazy),) = engine.process_batch([NOTES[0]], "en")
    assert isinstance(lazy, LazyLemmaArtifacts)
    for attribute in vars(presidio):
        assert hasattr(lazy, attribute), f"Presidio's NlpArtifacts now sets {attribute!r}"
    assert lazy.lemmas == presidio.lemmas
    assert lazy.keywords == presidio.keywords
    assert lazy.tokens_indices == presidio.tokens_indices


def test_the_batch_artifacts_carry_presidios_entities_and_scores() -> None:
    """`_doc_to_nlp_artifact` is Presidio's own, but for the lazy artifacts: the entities and scores are the same."""
    ours = _engine(sentence_boundaries=False)
    ((_text, lazy),) = ours.process_batch([NOTES[1]], "en")
    presidios = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": DEFAULT_MODEL}],
        ner_model_configuration=NerModelConfiguration(labels_to_ignore=[]),
    )
    presidios.nlp = {"en": ours.nlp["en"]}
    expected = presidios.process_text(NOTES[1], "en")
    assert [(e.start_char, e.end_char, e.label_) for e in lazy.entities] == [
        (e.start_char, e.end_char, e.label_) for e in expected.entities
    ]
    assert lazy.scores == expected.scores


class _Spy(EntityRecognizer):
    """Records the artifacts the analyzer hands it."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="Spy")
        self.seen: list[object] = []

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list:
        self.seen.append(nlp_artifacts)
        return []


def test_the_analyzer_hands_each_recognizer_the_batchs_own_artifacts() -> None:
    """`KeepsBatchResults` finds what it found in the batch on the artifacts the analyzer passes: the same object."""
    spy = _Spy()
    nlp_engine = _engine(sentence_boundaries=False)
    registry = RecognizerRegistry(recognizers=[spy], supported_languages=["en"])
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
    for text, artifacts in nlp_engine.process_batch(NOTES, "en"):
        analyzer.analyze(text=text, language="en", nlp_artifacts=artifacts)
        assert spy.seen[-1] is artifacts


def test_the_analyzer_raises_scores_by_context_through_the_linear_enhancer(engine: Engine) -> None:
    """Presidio's analyzer asks the enhancer for the words around each result of a recognizer with context words,
    and raises the score of a result with one of them nearby."""
    with patch.object(
        LinearContextEnhancer,
        "_extract_surrounding_words",
        autospec=True,
        side_effect=LinearContextEnhancer._extract_surrounding_words,
    ) as asked:
        (found,) = engine.trace_batch(["Pager 4-5678 tonight."])
    assert asked.call_count >= 1
    (pager,) = [entity for entity in found.kept if entity.type == "PHONE_NUMBER"]
    assert pager.score > 0.75, "the context word raised the pattern's score"


def test_context_enhancer_reads_the_same_words_as_presidios(engine: Engine) -> None:
    """The bisection finds the token and the keywords before and after it that Presidio's scan finds."""
    text = "Wife Mary: cell (617) 555-0143, home 410 555 0199.   Pager 4-5678 if   no answer; fax (410)555-0100 x12."
    nlp_engine = engine._nlp_engine
    ((_text, artifacts),) = nlp_engine.process_batch([text], language="en")
    presidio, linear = LemmaContextAwareEnhancer(), LinearContextEnhancer()
    for start in range(len(text)):
        expected = presidio._extract_surrounding_words(artifacts, text[start:], start)
        assert sorted(linear._extract_surrounding_words(artifacts, text[start:], start)) == sorted(expected), start


def test_remove_duplicates_keeps_the_higher_score_and_the_containing_span() -> None:
    """Chunked texts are deduplicated with Presidio's own rule, as one text's results are (`chunking.merge`)."""
    results = [
        RecognizerResult("PERSON", 0, 10, 0.6),
        RecognizerResult("PERSON", 0, 10, 0.85),
        RecognizerResult("PERSON", 2, 6, 0.5),
        RecognizerResult("LOCATION", 2, 6, 0.5),
    ]
    kept = EntityRecognizer.remove_duplicates(results)
    assert sorted((r.entity_type, r.start, r.end, r.score) for r in kept) == [
        ("LOCATION", 2, 6, 0.5),
        ("PERSON", 0, 10, 0.85),
    ]
