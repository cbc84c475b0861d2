"""Quotation marks paired by context, and the role that introduces speech."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.models import Article
from ingest.passages import split_article
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
        # A role with what it is the role of, up to the speech verb; names in it keep their capitals.
        ("Som en chef for sundhed og omsorg formulerer det:", "en chef for sundhed og omsorg"),
        ("Som en leder af et plejecenter i Vestkommunen udtaler: ", "en leder af et plejecenter i Vestkommunen"),
        ("Som en leder af hjemmeplejen i den sydlige del af kommunen formulerer det:",
         "en leder af hjemmeplejen i den sydlige del af kommunen"),
        ("Vi havde en plan for krisen, som en direktør udtaler: ", "en direktør"),
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


@given(st.lists(st.sampled_from([*"ab ”“\":,.’\nX»«–", ", siger X", "– A"]), max_size=40).map("".join))
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


@pytest.mark.parametrize(
    ("text", "spoken", "speaker"),
    [
        ("»Vi lærte meget af krisen,« siger borgmester Mette Frederiksen.", "»Vi lærte meget af krisen,«",
         "borgmester Mette Frederiksen"),
        ("Som en chef udtaler: »Det var hårdt.« Og så videre.", "»Det var hårdt.«", "en chef"),
        ("«Vi lærte», sagde en direktør.", "«Vi lærte»", "en direktør"),
        ("»Det var ”helt vildt” svært,« siger en chef.", "»Det var ”helt vildt” svært,«", "en chef"),
    ],
)
def test_guillemets_pair_whichever_way_they_point(text: str, spoken: str, speaker: str) -> None:
    quotes, orphan = find_quotes(text, 0, len(text))
    assert orphan is None
    assert [(text[q.start : q.end], q.speaker) for q in quotes] == [(spoken, speaker)]


def test_a_lone_guillemet_is_no_quote() -> None:
    for text in ("Læs mere »", "» Læs også: Krisen i tal", "Se side 4 « tilbage"):
        assert find_quotes(text, 0, len(text)) == ([], None)


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("– Det var en hård tid for alle, siger kommunaldirektør Jens Hansen.",
         [("– Det var en hård tid for alle,", "kommunaldirektør Jens Hansen")]),
        ("- Vi lærte meget, fortæller en hjemmeplejeleder.", [("- Vi lærte meget,", "en hjemmeplejeleder")]),
        # The speech goes on after the attribution when a dash resumes it.
        ("– Det var hårdt. Vi lærte meget, siger Jens Hansen, direktør i Sorø Kommune. – Men vi kom igennem det.",
         [("– Det var hårdt. Vi lærte meget,", "Jens Hansen, direktør i Sorø Kommune"),
          ("– Men vi kom igennem det.", "Jens Hansen, direktør i Sorø Kommune")]),
        # Narration after the attribution is not speech.
        ("– Det var hårdt, siger Jens Hansen. Han har været direktør i ti år.", [("– Det var hårdt,", "Jens Hansen")]),
        # A pronoun names nobody: "hun" is not guessed.
        ("– Det var hårdt, siger hun.", [("– Det var hårdt,", None)]),
    ],
)
def test_a_dash_paragraph_is_speech_up_to_its_attribution(text: str, quotes: list[tuple[str, str | None]]) -> None:
    found, orphan = find_quotes(text, 0, len(text))
    assert orphan is None
    assert [(text[q.start : q.end], q.speaker) for q in found] == quotes


def test_a_dash_list_item_is_no_speech() -> None:
    for text in ("- Kommunaldirektør Jens Hansen, Sorø", "– Vi var ikke klar.", "– mødes hver morgen, siger vi"):
        assert find_quotes(text, 0, len(text)) == ([], None), text


DIALOGUE_ARTICLE = """Kommunaldirektør Jens Hansen stod med ansvaret, da landet lukkede ned.

– Vi var slet ikke forberedt. Ingen havde en plan, der passede, siger kommunaldirektør Jens Hansen.

– Men vi lærte hurtigt at mødes hver morgen.

– Det var hårdt for medarbejderne, siger hun.

– Og det sled på alle.

Staben huskede:

- Kommunaldirektør Jens Hansen, Sorø
- Beredskabschef Mette Holm
"""


def test_dash_speech_goes_on_with_its_speaker_and_dash_lists_stay_lists() -> None:
    article = Article(id="d", file="d.txt", encoding="utf-8", sha256="0" * 64, n_chars=len(DIALOGUE_ARTICLE),
                      title="D", title_is_derived=True)
    passages = {p.text.split(".")[0]: p for p in split_article(DIALOGUE_ARTICLE, article)}
    named = passages["– Vi var slet ikke forberedt"]
    assert (named.kind, named.speaker) == ("quote", "kommunaldirektør Jens Hansen")
    goes_on = passages["– Men vi lærte hurtigt at mødes hver morgen"]
    assert (goes_on.kind, goes_on.speaker) == ("quote", "kommunaldirektør Jens Hansen")
    # "siger hun" is someone the text does not name here; nor is the paragraph after it guessed.
    assert passages["– Det var hårdt for medarbejderne, siger hun"].speaker is None
    assert passages["– Og det sled på alle"].speaker is None
    assert [passages[k].kind for k in ("Kommunaldirektør Jens Hansen, Sorø", "Beredskabschef Mette Holm")] == [
        "bullet", "bullet"
    ]
