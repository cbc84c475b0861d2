"""Danish sentence splitting on offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Det skete under krisen.Her var alle enige.", ["Det skete under krisen.", "Her var alle enige."]),
        ("Han sagde: ”Vi skrev det ned.”Der var ro.", ["Han sagde: ”Vi skrev det ned.”", "Der var ro."]),
        ("Beboeren kunne sove.De faglige folk hjalp.", ["Beboeren kunne sove.", "De faglige folk hjalp."]),
        ("Vi så bl.a. Sundhedsstyrelsen og fx KL.", ["Vi så bl.a. Sundhedsstyrelsen og fx KL."]),
        ("Samarbejdet ml. lærere pga. travlhed gik godt.", ["Samarbejdet ml. lærere pga. travlhed gik godt."]),
        ("Søren S. Kjær og Pia M. Nyborg deltog.", ["Søren S. Kjær og Pia M. Nyborg deltog."]),
        ("Skolen åbnede for 0-5. klasse d. 9. juni i år.", ["Skolen åbnede for 0-5. klasse d. 9. juni i år."]),
        ("Mødet var kl. 10 og varede ca. 45 min. I alt.", ["Mødet var kl. 10 og varede ca. 45 min.", "I alt."]),
        ("Gå tur med hund m.m. Her hjalp alle.", ["Gå tur med hund m.m.", "Her hjalp alle."]),
        ("Lærere, pædagoger mfl.”", ["Lærere, pædagoger mfl.”"]),
        ("Det løser vi senere”. Så kom næste.", ["Det løser vi senere”.", "Så kom næste."]),
        ("Hvad var strategien? Ingen vidste det!", ["Hvad var strategien?", "Ingen vidste det!"]),
        ("Se https://resonans.dk/side og tilmeld dig.", ["Se https://resonans.dk/side og tilmeld dig."]),
        ("KL har pt. kunne udsende 66 mails ift. de regler.", ["KL har pt. kunne udsende 66 mails ift. de regler."]),
        ("Det skete i 2020. Det var svært.", ["Det skete i 2020.", "Det var svært."]),
    ],
)
def test_known_cases(text: str, expected: list[str]) -> None:
    assert _split(text) == expected


@given(st.text(max_size=300))
def test_spans_are_ordered_stripped_and_cover_every_visible_character(text: str) -> None:
    spans = split_sentences(text)
    covered = set()
    last_end = 0
    for s, e in spans:
        assert last_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        last_end = e
    visible = {i for i, ch in enumerate(text) if not ch.isspace()}
    assert visible <= covered


@given(st.lists(st.sampled_from(["Vi hjalp.", "Det gik godt!", "Hvorfor?", "Alle var med.”"]), min_size=1, max_size=8))
def test_glued_sentences_are_all_found(parts: list[str]) -> None:
    text = "".join(parts)
    assert _split(text) == parts
