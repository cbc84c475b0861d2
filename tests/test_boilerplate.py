"""Site chrome of Danish news sites other than the seeds' is left out; article sentences alike in wording stay."""

from __future__ import annotations

import pytest

from ingest.boilerplate import find_boilerplate

CHROME = [
    "Artiklen fortsætter under annoncen",
    "Foto: Ritzau Scanpix",
    "Publiceret 12. marts 2020 kl. 10.15",
    "Opdateret: 3. april 2020",
    "Læsetid: 4 min.",
    "Lyt til artiklen",
    "Print",
    "Tip en ven",
    "Følg emnet Corona",
    "Vi bruger cookies til at forbedre din oplevelse.",
    # Other sites: consent buttons, navigation, datelines, share rows, captions, sign-up, footers.
    "Accepter alle",
    "Kun nødvendige",
    "Cookiepolitik",
    "Gå til hovedindhold",
    "Abonnér",
    "11. januar 2025 kl.\u00a006.00",
    "Tirsdag den 14. juni 2022",
    "14.06.2022 - 09:12",
    "Nyheder / Hvide Sande / Stormflod",
    "Facebook  LinkedIn  Mail  Kopiér link",
    "Beredskabet pumper vand væk fra havnen. Foto: Jens Nielsen/Lokalavisen",
    "Tilmeld dig vores nyhedsbrev og få nyhederne hver fredag",
    "© Vestjyden Lokal 2025",
    "Artiklen fortsætter for abonnenter",
    "Start din prøveperiode",
    "Er du allerede abonnent? Log ind",
]
ARTICLE_TEXT = [
    "Opdateret viden var afgørende for os.",
    "Foto og video blev brugt i kommunikationen.",
    "Print af vagtplaner var en udfordring.",
    "Følg med i krisen, sagde hun.",
    "Gem dem til senere.",
    "Den 14. juni 2022 evakuerede kommunen 300 husstande.",
    "Vi accepterede alle forslag fra de frivillige.",
    "Menuen på plejecentret blev lagt om.",
    "Kontakten til regionen var god.",
]


def _left_out(lines: list[str]) -> dict[str, bool]:
    text = "Krisen ramte alle kommuner på samme tid.\n" + "\n".join(lines) + "\nDet lærte vi meget af.\n"
    ranges = find_boilerplate(text)
    return {line: any(a <= text.index(line) < b for a, b in ranges) for line in lines}


@pytest.mark.parametrize("line", CHROME)
def test_chrome_lines_are_left_out(line: str) -> None:
    assert _left_out([line]) == {line: True}


@pytest.mark.parametrize("line", ARTICLE_TEXT)
def test_article_sentences_that_start_alike_are_kept(line: str) -> None:
    assert _left_out([line]) == {line: False}


def test_a_related_articles_list_is_left_out_up_to_the_blank_line() -> None:
    text = (
        "Krisestaben mødtes hver dag.\n\nRelaterede artikler\nStormrådet har erklæret stormflod\n"
        "Læserbrev: Hvorfor fik vi ikke en sms?\n\nDet lærte vi meget af.\n"
    )
    ranges = find_boilerplate(text)
    left = [text[a:b] for a, b in ranges]
    assert "Læserbrev: Hvorfor fik vi ikke en sms?" in left and "Stormrådet har erklæret stormflod" in left
    assert not any("Det lærte vi" in piece or "Krisestaben" in piece for piece in left)


def test_a_kicker_in_capitals_above_the_headline_is_left_out_and_the_site_name_in_the_footer() -> None:
    text = (
        "KRISEBEREDSKAB\nNatten hvor havnen kom op i byen\nKrisestaben mødtes hver dag.\n\n"
        "Kontakt redaktionen\nVestjyden Lokal\nCookiepolitik\n© Vestjyden Lokal 2025\n"
    )
    left = [text[a:b] for a, b in find_boilerplate(text)]
    assert "KRISEBEREDSKAB" in left and "Vestjyden Lokal" in left
    assert "Natten hvor havnen kom op i byen" not in left


def test_a_heading_glued_to_a_sentence_that_starts_with_the_word_i_is_found() -> None:
    from ingest.structure import parse_structure

    text = "Vandet steg hurtigt.\nKrisestaben samles om natten på rådhusetI løbet af torsdagen kom vandet ind i byen.\n"
    blocks = parse_structure(text, find_boilerplate(text))
    assert [(b.kind, text[b.start : b.end]) for b in blocks][1:] == [
        ("heading", "Krisestaben samles om natten på rådhuset"),
        ("para", "I løbet af torsdagen kom vandet ind i byen."),
    ]
