"""The NER-only batch and lemmas on demand: the same entities and lemmas as the whole pipeline, paid for only when read."""

from __future__ import annotations

from unittest.mock import patch

import pytest
import spacy
from presidio_analyzer import EntityRecognizer, PatternRecognizer
from presidio_analyzer.nlp_engine import NerModelConfiguration

from deidstream.detection.lazy_lemmas import ZONE_BATCHES, KeepsBatchResults, LazyLemmaNlpEngine, batch_components
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.recognizers import clinical_recognizers
from deidstream.detection.recognizers.contacts.phone import ClinicalPhoneRecognizer
from deidstream.detection.settings import DEFAULT_MODEL

NOTES = [
    # `HAD` is lemmatized `have` only with the parser's dependencies (they make it AUX or VERB).
    "GI: HAD 2 SOFT STOOLS. Pt called wife Mary at home. Seen by Dr. Healey on 3/4.",
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
    with_context = [recognizer for recognizer in clinical_recognizers(vocabulary) if recognizer.context]
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
