"""Case copies of training notes: whole texts recased one character for one, gold spans kept. Invented notes only."""

from __future__ import annotations

import pytest

from deidstream.tools.evaluation import GoldDocument, GoldSpan
from deidstream.tools.training.casing import LOWER, MIXED, SENTENCE, UPPER, recase, written_case
from deidstream.tools.training.recasing import case_copies

NOTE = "Pt resting. Son Thaddeus Quillon visited from Brackwater!\nPlan: d/c to Elmsworth on 3/14. Straße, İzmir ok."


def test_recase_keeps_every_offset_and_makes_the_case_asked_for() -> None:
    for case in (UPPER, LOWER, SENTENCE):
        assert len(recase(NOTE, case)) == len(NOTE)
    assert recase(NOTE, UPPER).startswith("PT RESTING. SON THADDEUS QUILLON VISITED FROM BRACKWATER!")
    assert "Straße" in NOTE and "STRAßE" in recase(NOTE, UPPER), "ß has no one-letter capital: left as it is"
    assert recase(NOTE, LOWER).startswith("pt resting. son thaddeus quillon")
    assert "İzmir".lower() != "izmir" and "İzmir" in recase(NOTE, LOWER), "İ has no one-letter lower case"


def test_sentence_case_capitalises_sentence_and_line_starts_only() -> None:
    assert recase("PT RESTING. SON JOHN VISITED!\n- PLAN: D/C HOME. 7.5 MG GIVEN", SENTENCE) == (
        "Pt resting. Son john visited!\n- Plan: d/c home. 7.5 mg given"
    )


def test_recase_refuses_a_case_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="not 'title'"):
        recase(NOTE, "title")


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("PT RESTING, SON AT BEDSIDE. pt", UPPER),
        ("pt resting, son at bedside, no complaints overnight. NPO", LOWER),
        (NOTE, MIXED),
        ("7/22", MIXED),
    ],
)
def test_written_case_reads_the_whole_text(text: str, case: str) -> None:
    assert written_case(text) == case


def _document(doc_id: str, text: str, *values: tuple[str, str]) -> GoldDocument:
    return GoldDocument(doc_id, text, [GoldSpan(text.index(v), text.index(v) + len(v), kind) for v, kind in values])


def test_case_copies_swap_values_then_recase_in_another_case() -> None:
    upper_note = _document("1-1", "SON THADDEUS QUILLON CALLED FROM BRACKWATER.", ("THADDEUS QUILLON", "PERSON"))
    plain_note = _document("1-2", "no events overnight, slept well.")
    copies = case_copies([upper_note, plain_note], seed=0)

    assert [copy.id.split("~")[0] for copy in copies] == ["1-1", "1-2"]
    named, plain = copies
    assert named.id.split("~")[1] in (LOWER, SENTENCE), "a note in capitals is copied in another case"
    value = named.text[named.phi[0].start : named.phi[0].end]
    assert value.casefold() != "thaddeus quillon", "the copy has a new name"
    assert recase(named.text, UPPER).endswith("CALLED FROM BRACKWATER."), "the context is the note's own"
    assert plain.id.split("~")[1] in (UPPER, SENTENCE) and plain.text.casefold() == plain_note.text
    assert case_copies([upper_note, plain_note], seed=0) == copies, "same seed, same copies"
    assert case_copies([upper_note], seed=0) == copies[:1], "a copy does not depend on the other documents"
