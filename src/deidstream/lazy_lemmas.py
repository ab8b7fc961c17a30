"""A Presidio spaCy engine that runs in batches only what the NER needs, and the lemma components on demand.

What the recognizers read from spaCy is the named entities (`nlp_artifacts.entities`)
and, through Presidio's context enhancer, lemmas: only for results of recognizers
that declare context words (phone numbers, ages, licence numbers, ...). Lemmas cost
the tagger, the attribute ruler and the lemmatizer on every document, a sixth of the
pipeline, yet most real notes never get such a result (28 of the 1,450 PhysioNet
notes). So `nlp.pipe` runs the NER and what it depends on, and the other components
run on one document the first time its lemmas are asked for; they add nothing the
NER reads, so entities and lemmas are exactly what the whole pipeline gives.

The NER depends on the parser: it never lets an entity cross a sentence boundary,
and en_core_web_sm's sentence boundaries come from its dependency parser. Without
the parser (`sentence_boundaries=False`) the NER runs alone, with its own embedding,
at almost twice the speed, but it then returns different entities in about one
document in twenty (measured on PhysioNet and the synthetic set); detection output
is no longer identical, so that is an explicit choice, not the default.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

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
    """`SpacyNlpEngine` over an already loaded pipeline whose components beyond the NER's needs run on demand."""

    def __init__(self, nlp: Language, language: str, sentence_boundaries: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)
        eager = batch_components(nlp, sentence_boundaries)
        self._on_demand = [(name, component) for name, component in nlp.pipeline if name not in eager]
        for name, _component in self._on_demand:
            nlp.disable_pipe(name)
        self.nlp = {language: nlp}

    def process_batch(self, texts: list[str], language: str, **kwargs: Any) -> Iterator[tuple[str, NlpArtifacts]]:
        """Presidio's batch inside a spaCy memory zone: the strings and lexemes of these texts are freed afterwards.

        Without the zone spaCy's vocabulary keeps every new token (names, numbers,
        dates) for the life of the process, and a worker grows for as long as it runs.
        The zone closes when the last artifact has been taken, so artifacts must not
        outlive the loop over them (the engine keeps only offsets, types and text).
        """
        with self.nlp[language].memory_zone():
            yield from super().process_batch(texts, language, **kwargs)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return LazyLemmaArtifacts(doc, entities, scores, self, language)

    def complete(self, doc: Doc) -> Doc:
        """Run the components the batch left out, in pipeline order, on one document."""
        for _name, component in self._on_demand:
            doc = component(doc)
        return doc


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
        self._language = language

    @cached_property
    def tokens_indices(self) -> list[int]:
        return [token.idx for token in self.tokens]

    @cached_property
    def lemmas(self) -> list[str]:
        return [token.lemma_ for token in self.nlp_engine.complete(self.tokens)]

    @cached_property
    def keywords(self) -> list[str]:
        return self.set_keywords(self.nlp_engine, self.lemmas, self._language)
