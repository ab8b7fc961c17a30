"""Every use of Presidio's private API, in one place: the batch NLP engine, its lazy artifacts and the lemma cache,
the hand-off of batch results to the analyzer, and the context enhancer.

Presidio's public API (recognizers, `RecognizerResult`, `AnalyzerEngine`) is used
where it is needed; what deidstream needs beyond it for speed (batches through
`nlp.pipe` that run only what the NER needs, lemmas on demand, context words in
linear time) overrides private methods and skips a constructor. All of that is
here, pinned by `tests/test_presidio_adapter.py`, so that a Presidio upgrade that
changes them fails there first and nowhere else. Recognizers do not import this
module: they build on `detection.base`, which does.

**The batch and lemmas on demand.** What the recognizers read from spaCy is the
named entities (`nlp_artifacts.entities`) and, through Presidio's context enhancer,
lemmas: only for results of recognizers that declare context words (phone numbers,
ages, licence numbers, ...). Lemmas cost the tagger, the parser, the attribute
ruler and the lemmatizer (the attribute ruler reads the parser's dependencies),
more than half of the pipeline, yet most real notes never get such a result (28 of
the 1,450 PhysioNet notes). So `nlp.pipe` runs the NER and what it depends on; the
documents in which a recognizer with context words finds something get the other
components in a second, smaller batch; any other document gets them the first time
its lemmas are read. They add nothing the NER reads, so entities and lemmas are
exactly what the whole pipeline gives.

**Batch results.** To know those documents the recognizers with context words run
over the batch before the analyzer does; what they find is kept with each
document's artifacts (`LazyLemmaArtifacts.found`) and handed to the analyzer when it
calls them (`KeepsBatchResults`), so each runs once per document, not twice: they
are a fifth of the recognizers' time.

**Sentence boundaries.** The NER depends on the parser in one way: it never lets an
entity cross a sentence boundary, and en_core_web_sm's sentence boundaries come
from its parser. Without the parser (`sentence_boundaries=False`) the NER runs
alone, with its own embedding, at almost twice the speed; its raw entities then
differ in about one document in twenty, while deidstream's detections stayed
identical on both accuracy sets (see tests/test_detection_fingerprint.py).
`sentence_boundaries=True` keeps the parser in the batch for the whole pipeline's NER.

**Context words in linear time.** For each result of a recognizer with context
words, Presidio's `LemmaContextAwareEnhancer` finds the result's token by scanning
the document's tokens from the start, and walks back from it to collect the lemmas
of the five keywords before it, testing each lemma against the list of all the
keywords of the document. A text of many phone numbers (one result every few
tokens) made that quadratic: 8 s of a 20,000-character text went there.
`LinearContextEnhancer` computes the tokens' ends, the keyword set and the
positions of the keyword tokens once per document, and each result finds its token
and its keywords by bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import ExitStack
from functools import cached_property
from typing import Any, cast

from presidio_analyzer import EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.pipeline import Lemmatizer, Pipe
from spacy.tokens import Doc, Span

NER = "ner"
PARSER = "parser"
LEMMATIZER = "lemmatizer"
ZONE_BATCHES = 20


def batch_components(nlp: Language, sentence_boundaries: bool) -> list[str]:
    """The components `nlp.pipe` must run for the NER: itself, optionally the parser, and the embeddings they listen to."""
    wanted = {NER, PARSER} if sentence_boundaries else {NER}
    upstream = {
        name for name, component in nlp.pipeline if wanted & set(getattr(component, "listening_components", None) or [])
    }
    return [name for name in nlp.pipe_names if name in wanted | upstream]


class LazyLemmaNlpEngine(SpacyNlpEngine):
    """`SpacyNlpEngine` over an already loaded pipeline whose components beyond the NER's needs run on demand.

    `context_recognizers` are the recognizers with context words: a document in
    which one of them finds something will have its lemmas read by the context
    enhancer, so it is completed with the others of its batch rather than alone.
    """

    def __init__(
        self,
        nlp: Language,
        language: str,
        sentence_boundaries: bool,
        context_recognizers: list[EntityRecognizer],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        eager = batch_components(nlp, sentence_boundaries)
        self._on_demand = [(name, component) for name, component in nlp.pipeline if name not in eager]
        for name, _component in self._on_demand:
            nlp.disable_pipe(name)
        self.nlp = {language: nlp}  # type: ignore[assignment]  # Presidio declares it None until its own load()
        self._pipeline = nlp
        self._context_recognizers = context_recognizers
        self._lemmatizer = cast(Lemmatizer, nlp.get_pipe(LEMMATIZER)) if LEMMATIZER in nlp.component_names else None
        self._zone = ExitStack()
        self._zone_batches = 0

    def process_batch(  # type: ignore[override]  # texts only, never Presidio's (text, context) tuples
        self, texts: list[str], language: str, batch_size: int = 1, n_process: int = 1
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        """Presidio's batch, with lemmas added in a batch of their own where they will be read.

        Each text is paired with its own artifacts: Presidio's batch pairs them with
        `doc.text`, which spaCy rebuilds token by token, the same string at a cost.
        The artifacts are valid until a later batch renews the memory zone (see
        `_renew_memory_zone`): use them before asking for another batch.
        """
        self._renew_memory_zone()
        docs = self._pipeline.pipe(texts, batch_size=batch_size, n_process=n_process)
        batch = [(text, self._doc_to_nlp_artifact(doc, language)) for text, doc in zip(texts, docs, strict=True)]
        self.lemmatize([artifacts for text, artifacts in batch if self._find_with_context(text, artifacts)], batch_size)
        return iter(batch)

    def _renew_memory_zone(self) -> None:
        """Every `ZONE_BATCHES` batches, free the strings and lexemes that the batches since the last renewal added.

        spaCy's vocabulary otherwise keeps every new token (names, numbers, dates)
        for the life of the process, and a worker grows for as long as it runs.
        A zone per batch would also free the lexemes of everyday words after every
        batch and cost 7% of the throughput in recreating them; renewed every
        `ZONE_BATCHES` batches it costs nothing measurable and bounds the growth.
        The rule lemmatizer's memo of the words it has seen is cleared with it.
        """
        if self._zone_batches % ZONE_BATCHES == 0:
            self._zone.close()
            if self._lemmatizer is not None:
                self._lemmatizer.cache.clear()
            self._zone = ExitStack()
            self._zone.enter_context(self._pipeline.memory_zone())
        self._zone_batches += 1

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> LazyLemmaArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return LazyLemmaArtifacts(doc, entities, scores, self, language)

    def _find_with_context(self, text: str, artifacts: LazyLemmaArtifacts) -> bool:
        """Run the recognizers with context words, keep what they find for the analyzer, and say whether the context
        enhancer will look at this document's lemmas (a guess only decides when they are made)."""
        for recognizer in self._context_recognizers:
            artifacts.found[recognizer.id] = recognizer.analyze(text, recognizer.supported_entities, artifacts)
        return any(artifacts.found.values())

    def lemmatize(self, batch: list[LazyLemmaArtifacts], batch_size: int) -> None:
        """Run the components `nlp.pipe` left out, in pipeline order, over the documents of these artifacts."""
        docs = [artifacts.tokens for artifacts in batch]
        for _name, component in self._on_demand:
            docs = list(cast(Pipe, component).pipe(docs, batch_size=batch_size))
        for artifacts, doc in zip(batch, docs, strict=True):
            artifacts.tokens, artifacts.lemmatized = doc, True


class LazyLemmaArtifacts(NlpArtifacts):
    """`NlpArtifacts` whose lemmas, keywords and token offsets are computed on first use.

    Presidio's constructor computes them eagerly, so it is not called; every
    attribute it sets is provided here (presidio-analyzer 2.2).
    """

    def __init__(
        self, doc: Doc, entities: list[Span], scores: list[float], nlp_engine: LazyLemmaNlpEngine, language: str
    ) -> None:
        self.entities = entities
        self.tokens = doc
        self.nlp_engine = nlp_engine
        self.scores = scores if scores else [0.85] * len(entities)
        self.lemmatized = False
        self.found: dict[str, list[RecognizerResult]] = {}
        self._language = language

    # Presidio's artifacts hold these as attributes, set eagerly; here they are computed on first use.
    @cached_property
    def tokens_indices(self) -> list[int]:  # type: ignore[override]
        return [token.idx for token in self.tokens]

    @cached_property
    def lemmas(self) -> list[str]:  # type: ignore[override]
        if not self.lemmatized:
            self.nlp_engine.lemmatize([self], batch_size=1)
        return [token.lemma_ for token in self.tokens]

    @cached_property
    def keywords(self) -> list[str]:  # type: ignore[override]
        return self.set_keywords(self.nlp_engine, self.lemmas, self._language)


class KeepsBatchResults(PatternRecognizer):
    """A pattern recognizer that, called on artifacts of a batch it already ran over, returns what it found then.

    The recognizers with context words run over each document before the analyzer
    (see `LazyLemmaNlpEngine._find_with_context`); a pattern recognizer's results
    depend on the text alone, so the analyzer gets those same results, each list once.
    `finish` is what a subclass does to its patterns' results, once, when they are found.
    """

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if isinstance(nlp_artifacts, LazyLemmaArtifacts) and self.id in nlp_artifacts.found:
            return nlp_artifacts.found.pop(self.id)
        return self.finish(super().analyze(text, entities, nlp_artifacts, regex_flags))

    def finish(self, results: list[RecognizerResult]) -> list[RecognizerResult]:
        return results


INDEX_ATTRIBUTE = "_deidstream_context_index"


class _TokenIndex:
    """Where each token of one document ends, and which tokens' lemmas are keywords."""

    def __init__(self, nlp_artifacts: NlpArtifacts) -> None:
        self.ends = [token.idx + len(token) for token in nlp_artifacts.tokens]
        keywords = set(nlp_artifacts.keywords)
        self.lemmas = [lemma.lower() for lemma in nlp_artifacts.lemmas]
        self.keyword_positions = [index for index, lemma in enumerate(self.lemmas) if lemma in keywords]


class LinearContextEnhancer(LemmaContextAwareEnhancer):
    """`LemmaContextAwareEnhancer` whose surrounding words of a result cost a logarithm, not a scan of the text."""

    def _extract_surrounding_words(self, nlp_artifacts: NlpArtifacts, word: str, start: int) -> list[str]:
        if not nlp_artifacts.tokens:
            return [""]
        index = getattr(nlp_artifacts, INDEX_ATTRIBUTE, None)
        if index is None:
            index = _TokenIndex(nlp_artifacts)
            setattr(nlp_artifacts, INDEX_ATTRIBUTE, index)
        # Presidio takes the first token that starts at `start` or ends after it; token ends only grow.
        token_index = bisect_right(index.ends, start)
        if token_index == len(index.ends):
            raise ValueError(f"Did not find word '{word}' in the list of tokens although it is expected to be found")
        positions = index.keyword_positions
        # The keywords at and before the token, nearest first, then those at and after it, as Presidio collects them.
        before = bisect_right(positions, token_index)
        backward = positions[max(0, before - self.context_prefix_count - 1) : before][::-1]
        after = bisect_left(positions, token_index)
        forward = positions[after : after + self.context_suffix_count + 1]
        return list({index.lemmas[position] for position in backward + forward})
