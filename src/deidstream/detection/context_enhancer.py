"""Presidio's lemma context enhancer, with the same results in time linear in the text.

For each result of a recognizer with context words, Presidio's
`LemmaContextAwareEnhancer` finds the result's token by scanning the document's
tokens from the start, and walks back from it to collect the lemmas of the five
keywords before it, testing each lemma against the list of all the keywords of the
document. A text of many phone numbers (one result every few tokens) made that
quadratic: 8 s of a 20,000-character text went there. Here the tokens' ends, the
keyword set and the positions of the keyword tokens are computed once per
document, and each result finds its token and its keywords by bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

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
