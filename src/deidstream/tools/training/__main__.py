"""`python -m deidstream.tools.training`: train the PHI NER that ships with deidstream, or cross-validate it by patient.

    python -m deidstream.tools.training --output DIR                  # trained on the training part
    python -m deidstream.tools.training --output DIR --part all       # the shipped model: every development note
    python -m deidstream.tools.training --folds 2        # patient-level cross-validation; writes no model

The training set is the annotated notes of `--corpus` (a PhysioNet deid folder or
`eval` JSON lines) in the part `--part` of the locked split (`deidstream.tools.locked_split`:
by default the training part, so the locked third of the patients stays unseen), each note with PHI
also in `--variants` surrogate-augmented copies, plus `--reports` generated reports and `--notes`
generated notes of more styles. With `--folds K` the training part's patients are split into K parts;
each part is scored, with the whole engine, by a model trained on the other parts and the synthetic
notes only, so no score comes from a note the model was trained on. Same arguments, same model.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language

from deidstream.tools import locked_split
from deidstream.tools.evaluation import GoldDocument, PredictedSpan, Report, format_report, load_gold, score
from deidstream.tools.synthetic import generate_reports
from deidstream.tools.training.augment import augment_many
from deidstream.tools.training.notes import generate_training_notes, to_gold
from deidstream.tools.training.phi_model import save, train
from deidstream.tools.training.recasing import case_copies

log = logging.getLogger("deidstream.tools.training")
# The repository's sibling folder `shared/` (src/deidstream/tools/training/__main__.py is five levels below it).
DEFAULT_CORPUS = Path(__file__).resolve().parents[5] / "shared/corpora/physionet-deid-dev"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deidstream.tools.training", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="annotated notes (default: %(default)s)")
    parser.add_argument("--output", type=Path, help="directory to write the trained model to")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate over this many patient groups instead")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--variants", type=int, default=2, help="augmented copies of each note with PHI")
    parser.add_argument("--reports", type=int, default=1000, help="generated reports of the evaluation set's six kinds")
    parser.add_argument("--notes", type=int, default=0, help="generated notes of eleven more styles (see below)")
    parser.add_argument(
        "--originals",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="train on the notes with PHI as written too, not only on their augmented copies (default: %(default)s)",
    )
    parser.add_argument(
        "--case-copies",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also each note once in a case it is not written in (default: %(default)s)",
    )
    parser.add_argument(
        "--part",
        choices=(locked_split.TRAIN, locked_split.ALL),
        default=locked_split.TRAIN,
        help="the corpus' notes to train on: the training part, or all notes for the shipped model once the locked "
        "part's figure is taken (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--extra-gold",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="more annotated notes, e.g. a site's reviewed sample (`deidstream review export --gold`): trained on and "
        "augmented like the corpus, never scored (repeatable)",
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if (arguments.output is None) == (arguments.folds < 2):
        parser.error("give either --output DIR (train and save) or --folds K with K >= 2 (cross-validate)")
    if arguments.folds and arguments.part != locked_split.TRAIN:
        parser.error("cross-validation folds are of the training part only: leave out --part")
    try:
        corpus = locked_split.select(load_gold(arguments.corpus), arguments.part)
        extra = locked_split.select(
            [document for path in arguments.extra_gold for document in load_gold(path)], arguments.part
        )
    except ValueError as error:
        parser.error(str(error))
    synthetic = generated_notes(arguments.reports, arguments.notes, arguments.seed)
    if arguments.output:
        _train_and_save(corpus + extra, synthetic, arguments)
    else:
        _cross_validate(corpus, extra, synthetic, arguments)
    return 0


def generated_notes(reports: int, notes: int, seed: int) -> list[GoldDocument]:
    """Generated text with exact gold spans: reports of six kinds, and notes of eleven more styles.

    The notes of more styles raised recall on the validation set's physician questions a little (0.980 to 0.985
    with 300 of them, names 0.993 to 1.000), but taught the model to take the abbreviations and misspellings of
    real nursing notes for names: cross-validated precision on held-out PhysioNet patients fell from 0.916 to 0.870
    with 300 notes and to 0.867 with 1,000. So the shipped model is trained without them (`--notes 0`).
    """
    generated = [to_gold(report) for report in generate_reports(reports, seed=seed)]
    return generated + [to_gold(note) for note in generate_training_notes(notes, seed=seed)]


def training_set(
    corpus: list[GoldDocument], synthetic: list[GoldDocument], arguments: argparse.Namespace
) -> list[GoldDocument]:
    """Every note once (with `--no-originals`, only those without PHI: the others with the corpus' own values
    left out), the notes with PHI also augmented (a note without PHI has nothing to vary), case copies when asked,
    the synthetic notes."""
    with_phi = [document for document in corpus if document.phi]
    originals = corpus if arguments.originals else [document for document in corpus if not document.phi]
    recased = case_copies(corpus, arguments.seed) if arguments.case_copies else []
    return originals + augment_many(with_phi, arguments.variants, arguments.seed) + recased + synthetic


def _train_and_save(corpus: list[GoldDocument], synthetic: list[GoldDocument], arguments: argparse.Namespace) -> None:
    started = time.monotonic()
    documents = training_set(corpus, synthetic, arguments)
    log.info("training on %d notes (%d characters)", len(documents), sum(len(d.text) for d in documents))
    nlp = train(documents, arguments.epochs, arguments.seed)
    describe(nlp, arguments)
    save(nlp, arguments.output)
    log.info("model written to %s in %.0f s", arguments.output, time.monotonic() - started)


def describe(nlp: Language, arguments: argparse.Namespace) -> None:
    """The model's own meta.json says what it is and how it was made, not what the base pipeline was."""
    for inherited in ("performance", "sources", "requirements", "url", "email", "author"):
        nlp.meta.pop(inherited, None)
    nlp.meta.update(
        {
            "name": "deidstream_phi_ner",
            "version": f"{arguments.seed}.{arguments.epochs}.{arguments.variants}",
            "description": "PHI NER for clinical text: en_core_web_sm's ner fine-tuned on surrogate-augmented notes "
            f"({arguments.corpus.name}, {arguments.part} part, {arguments.variants} variants, "
            f"originals {'yes' if arguments.originals else 'no'}, case copies {'yes' if arguments.case_copies else 'no'}, "
            f"{arguments.reports} generated reports, "
            f"{arguments.notes} generated notes, "
            f"{arguments.epochs} epochs, seed {arguments.seed}); made by `python -m deidstream.tools.training`",
            "license": "MIT (en_core_web_sm's weights as the start)",
        }
    )


def _cross_validate(
    corpus: list[GoldDocument], extra: list[GoldDocument], synthetic: list[GoldDocument], arguments: argparse.Namespace
) -> None:
    """Scores of each held-out group and of all of them pooled, each note scored by a model that never saw it.

    The `--extra-gold` notes join every fold's training notes and are never scored.
    """
    from deidstream.detection.engine import Engine
    from deidstream.detection.settings import EngineSettings

    folds = patient_folds(corpus, arguments.folds, arguments.seed)
    held_out_all: list[GoldDocument] = []
    predictions_all: list[list[PredictedSpan]] = []
    for number, held_out in enumerate(folds, start=1):
        trained_on = [document for document in corpus if document not in held_out]
        log.info("fold %d/%d: training on %d notes, scoring %d", number, len(folds), len(trained_on), len(held_out))
        nlp = train(training_set(trained_on + extra, synthetic, arguments), arguments.epochs, arguments.seed)
        with tempfile.TemporaryDirectory() as folder:
            save(nlp, Path(folder))
            engine = Engine(EngineSettings(phi_model=folder))
            found = engine.analyze_batch([document.text for document in held_out])
        predictions = [[PredictedSpan.of(entity) for entity in entities] for entities in found]
        print(
            f"\nfold {number}/{len(folds)}: {len(held_out)} held-out notes\n" + _summary(score(held_out, predictions))
        )
        held_out_all += held_out
        predictions_all += predictions
    print(f"\nall folds pooled ({len(held_out_all)} notes)\n" + format_report(score(held_out_all, predictions_all)))


def patient_folds(corpus: list[GoldDocument], folds: int, seed: int) -> list[list[GoldDocument]]:
    """The notes in `folds` groups of whole patients (ids `<patient>-<note>`), patients shuffled by `seed`."""
    patients = sorted({_patient(document) for document in corpus})
    random.Random(seed).shuffle(patients)
    group = {patient: index % folds for index, patient in enumerate(patients)}
    return [[document for document in corpus if group[_patient(document)] == fold] for fold in range(folds)]


def _patient(document: GoldDocument) -> str:
    """The note's patient; a document of another corpus is a patient of its own."""
    return locked_split.patient_of(document.id) or document.id


def _summary(report: Report) -> str:
    return "\n".join(format_report(report).splitlines()[:3])


if __name__ == "__main__":
    sys.exit(main())
