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
]
ARTICLE_TEXT = [
    "Opdateret viden var afgørende for os.",
    "Foto og video blev brugt i kommunikationen.",
    "Print af vagtplaner var en udfordring.",
    "Følg med i krisen, sagde hun.",
    "Gem dem til senere.",
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
