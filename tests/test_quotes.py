"""Quotation marks paired by context, and the role that introduces speech."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.quotes import find_quotes, is_plural, speaker_of


@pytest.mark.parametrize(
    ("introducer", "speaker"),
    [
        ("Som en kommunaldirektør udtaler: ", "en kommunaldirektør"),
        ("En direktør udtaler: ", "en direktør"),
        ("Som en chef formulerer det: ", "en chef"),
        ("Dog en kamp om ressourcer, som en kommunaldirektør beskriver: ", "en kommunaldirektør"),
        ("Og en chef supplerer: ", "en chef"),
        ("Som en af direktørerne udtaler: ", "en af direktørerne"),
        ("et telefonnummer, som en kommunaldirektør udtaler, ", "en kommunaldirektør"),
        ("pga. krisen, afslutter en direktør også med en bekymring: ", "en direktør"),
        ("Og som to af de interviewede direktører udtaler:\xa0", "to af de interviewede direktører"),
        ("Som en erfaren sygeplejerske fortæller: ", "en erfaren sygeplejerske"),
        ("Positive elementer som supplement til konsensuskultur: ", None),
        ("Og samtidig: ", None),
        ("Den vante positionering og ", None),
        ("Som en chef udtaler. ", None),
    ],
)
def test_speaker_of_introducer(introducer: str, speaker: str | None) -> None:
    assert speaker_of(introducer) == speaker


def test_plural_speakers() -> None:
    assert is_plural("to af de interviewede direktører")
    assert not is_plural("en af direktørerne")


def test_right_double_quote_at_both_ends_is_paired() -> None:
    text = "Som en chef udtaler: ”Vi lærte meget. Alle hjalp.”Der var også ”kamp om ressourcerne” i regionen."
    quotes, orphan = find_quotes(text, 0, len(text))
    assert orphan is None
    assert [text[q.start : q.end] for q in quotes] == ["”Vi lærte meget. Alle hjalp.”", "”kamp om ressourcerne”"]
    assert [q.speaker for q in quotes] == ["en chef", None]


def test_lost_opening_mark_is_reported() -> None:
    text = "We have seen nothing yet. Vi skal kunne gå på to ben.”"
    quotes, orphan = find_quotes(text, 0, len(text))
    assert quotes == [] and orphan == len(text)


def test_curly_and_straight_quotes() -> None:
    text = 'En leder siger: “Vi er klar.” Og en chef siger: "Det er vi også."'
    quotes, _ = find_quotes(text, 0, len(text))
    assert [q.speaker for q in quotes] == ["en leder", "en chef"]


@given(st.text(alphabet=st.sampled_from(list("ab ”“\":,.’\nX")), max_size=80))
def test_quotes_are_ordered_and_inside_the_range(text: str) -> None:
    quotes, orphan = find_quotes(text, 0, len(text))
    last = 0
    for q in quotes:
        assert last <= q.start < q.end <= len(text)
        last = q.end
    assert orphan is None or 0 < orphan <= len(text)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("”Vi lånte sygeplejersker fra skolesundhedsplejen,” siger en hjemmeplejeleder.", "en hjemmeplejeleder"),
        ("”Det var hårdt,” siger Jens Hansen, direktør i Glostrup Kommune. Han fortsætter.",
         "Jens Hansen, direktør i Glostrup Kommune"),
        ("“Vi kan godt,” lyder det fra en chef.", "en chef"),
        ("”Det var hårdt,” siger hun.", None),
        ("Der var ”kamp om ressourcerne” i starten.", None),
    ],
)
def test_a_speaker_named_after_the_quote_is_found(text: str, speaker: str | None) -> None:
    quotes, _ = find_quotes(text, 0, len(text))
    assert quotes[0].speaker == speaker


@pytest.mark.parametrize(
    ("introducer", "speaker"),
    [
        ("Beredskabschefen supplerer: ", "beredskabschefen"),
        ("Hanne Sørensen siger: ", "Hanne Sørensen"),
        ("Som kommunaldirektør Hanne Sørensen udtaler: ", "kommunaldirektør Hanne Sørensen"),
        ("Som en kommunaldirektør udtaler: ", "en kommunaldirektør"),
    ],
)
def test_definite_roles_and_names_introduce_speech(introducer: str, speaker: str) -> None:
    assert speaker_of(introducer) == speaker
