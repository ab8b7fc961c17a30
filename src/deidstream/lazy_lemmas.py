"""A Presidio spaCy engine that runs in batches only what the NER needs, and the lemma components where they are read.

What the recognizers read from spaCy is the named entities (`nlp_artifacts.entities`)
and, through Presidio's context enhancer, lemmas: only for results of recognizers
that declare context words (phone numbers, ages, licence numbers, ...). Lemmas cost
the tagger, the parser, the attribute ruler and the lemmatizer (the attribute ruler
reads the parser's dependencies), more than half of the pipeline, yet most real notes
never get such a result (28 of the 1,450 PhysioNet notes). So `nlp.pipe` runs the
NER and what it depends on; the documents in which a recognizer with context words
finds something get the other components in a second, smaller batch; any other
document gets them the first time its lemmas are read. They add nothing the NER
reads, so entities and lemmas are exactly what the whole pipeline gives.

The NER depends on the parser in one way: it never lets an entity cross a sentence
boundary, and en_core_web_sm's sentence boundaries come from its parser. Without
the parser (`sentence_boundaries=False`) the NER runs alone, with its own embedding,
at almost twice the speed; its raw entities then differ in about one document in
twenty, while deidstream's detections stayed identical on both accuracy sets (see
tests/test_detection_fingerprint.py). `sentence_boundaries=True` keeps the parser
in the batch for the whole pipeline's NER.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc

NER = "ner"
PARSER = "parser"


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
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        eager = batch_components(nlp, sentence_boundaries)
        self._on_demand = [(name, component) for name, component in nlp.pipeline if name not in eager]
        for name, _component in self._on_demand:
            nlp.disable_pipe(name)
        self.nlp = {language: nlp}
        self._context_recognizers = context_recognizers

    def process_batch(
        self, texts: list[str], language: str, batch_size: int = 1, n_process: int = 1
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        """Presidio's batch, with lemmas added in a batch of their own where they will be read.

        It runs inside a spaCy memory zone: the strings and lexemes of these texts
        are freed afterwards. Without the zone spaCy's vocabulary keeps every new
        token (names, numbers, dates) for the life of the process, and a worker
        grows for as long as it runs. The zone closes when the last artifact has
        been taken, so artifacts must not outlive the loop over them (the engine
        keeps only offsets, types and text).
        """
        with self.nlp[language].memory_zone():
            batch = list(super().process_batch(texts, language, batch_size=batch_size, n_process=n_process))
            self.lemmatize(
                [artifacts for text, artifacts in batch if self._will_read_lemmas(text, artifacts)], batch_size
            )
            yield from batch

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return LazyLemmaArtifacts(doc, entities, scores, self, language)

    def _will_read_lemmas(self, text: str, artifacts: NlpArtifacts) -> bool:
        """Whether the context enhancer will look at this document's lemmas (a guess only decides when they are made)."""
        return any(
            recognizer.analyze(text, recognizer.supported_entities, artifacts)
            for recognizer in self._context_recognizers
        )

    def lemmatize(self, batch: list[LazyLemmaArtifacts], batch_size: int) -> None:
        """Run the components `nlp.pipe` left out, in pipeline order, over the documents of these artifacts."""
        docs = [artifacts.tokens for artifacts in batch]
        for _name, component in self._on_demand:
            docs = list(component.pipe(docs, batch_size=batch_size))
        for artifacts, doc in zip(batch, docs, strict=True):
            artifacts.tokens, artifacts.lemmatized = doc, True


class LazyLemmaArtifacts(NlpArtifacts):
    """`NlpArtifacts` whose lemmas, keywords and token offsets are computed on first use.

    Presidio's constructor computes them eagerly, so it is not called; every
    attribute it sets is provided here (presidio-analyzer 2.2).
    """

    def __init__(
        self, doc: Doc, entities: list, scores: list[float], nlp_engine: LazyLemmaNlpEngine, language: str
    ) -> None:
        self.entities = entities
        self.tokens = doc
        self.nlp_engine = nlp_engine
        self.scores = scores if scores else [0.85] * len(entities)
        self.lemmatized = False
        self._language = language

    @cached_property
    def tokens_indices(self) -> list[int]:
        return [token.idx for token in self.tokens]

    @cached_property
    def lemmas(self) -> list[str]:
        if not self.lemmatized:
            self.nlp_engine.lemmatize([self], batch_size=1)
        return [token.lemma_ for token in self.tokens]

    @cached_property
    def keywords(self) -> list[str]:
        return self.set_keywords(self.nlp_engine, self.lemmas, self._language)
