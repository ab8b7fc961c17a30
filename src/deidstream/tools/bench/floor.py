"""Stage a, the floor: the spaCy model alone, `nlp.pipe` with only its `tok2vec` and `ner` components.

No engine that runs this NER over every character can be faster on one core, so
the other stages are read as fractions of this one.
"""

from __future__ import annotations

from deidstream.config import Settings
from deidstream.detection.engine import WARM_UP_TEXT, load_spacy_model
from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.isolated import Ready
from deidstream.tools.bench.measure import StageResult, Window, in_process_result

FLOOR_COMPONENTS = ("tok2vec", "ner")


def measure_floor(corpus: Corpus, settings: Settings, *, ready: Ready) -> StageResult:
    nlp = load_spacy_model(settings.engine.model)
    nlp.max_length = settings.engine.max_text_chars
    batch_size = settings.engine.nlp_batch_size
    with nlp.select_pipes(enable=[name for name in FLOOR_COMPONENTS if name in nlp.pipe_names]):
        list(nlp.pipe([WARM_UP_TEXT]))
        ready()
        with Window() as window:
            for _doc in nlp.pipe(corpus.texts, batch_size=batch_size):
                pass
    return in_process_result(
        "floor",
        "spaCy floor: nlp.pipe, tok2vec + ner",
        corpus,
        window,
        details={"components": list(FLOOR_COMPONENTS), "nlp_batch_size": batch_size},
    )
