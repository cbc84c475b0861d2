"""Reports as municipalities publish them, printed to PDF by Chromium: every sentence comes out whole.

Each test writes an HTML report (headings, paragraphs with soft-hyphenated compound words, a
bullet list, a timeline table, several pages), prints it with Debian's Chromium, reads it with
`ingest` and compares with the same report as a .txt file.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

import ingest
from ingest.formats import extract_pdf
from ingest.models import Passage

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium mangler: kør `make browser`.")

# Long Danish compounds where the printer may break a line: a soft hyphen marks each place.
COMPOUNDS = [
    "beredskabs\u00adplanen", "kommunal\u00addirektøren", "krise\u00adkommunikationen", "hjemme\u00adplejens",
    "ældre\u00adområdet", "sundheds\u00adfaglige", "forsynings\u00adselskabet", "evakuerings\u00adcentret",
    "situations\u00adbilledet", "frivillig\u00adkoordinatoren",
]
TOPICS = ["stormen", "oversvømmelsen", "strømafbrydelsen", "hedebølgen", "it-nedbruddet", "evakueringen"]
TITLE = "Evaluering af krisestabens arbejde"
RUNNING = "Rapport om krisestyring – Testkommune"


def _sentence(n: int) -> str:
    word = COMPOUNDS[n % len(COMPOUNDS)]
    other = COMPOUNDS[(n * 3 + 1) % len(COMPOUNDS)]
    topic = TOPICS[n % len(TOPICS)]
    return (
        f"Under {topic} vurderede {word} i sag nummer {n} situationen sammen med {other}, "
        f"og krisestaben besluttede at holde et ekstra møde kl. {8 + n % 9}.{n % 6}0 om de sårbare borgere."
    )


PARAGRAPHS = [[_sentence(p * 3 + s) for s in range(3)] for p in range(30)]
ROWS = [
    (f"Tirs. {d}/2 kl. {8 + d}.15", f"Krisestaben træffer beslutning nummer {d} om {TOPICS[d % 6]}.")
    for d in range(1, 7)
]
LIST = [f"Opdatér {COMPOUNDS[i]} hvert år inden {TOPICS[i % 6]}." for i in range(4)]


def _visible(text: str) -> str:
    return text.replace("\u00ad", "")


def report_html(columns: int, margin_boxes: bool) -> str:
    """The report as HTML: headings every five paragraphs, a list and a table in the middle."""
    page_css = (
        f'@page {{ size: A4; margin: 22mm 18mm; @top-center {{ content: "{RUNNING}"; }} '
        '@bottom-right { content: "Side " counter(page) " af " counter(pages); } }'
        if margin_boxes
        else "@page { size: A4; margin: 22mm 18mm; }"
    )
    parts = [
        f"<!doctype html><html lang='da'><head><meta charset='utf-8'><title>{TITLE}</title><style>{page_css}"
        f"body {{ font-family: serif; font-size: 10.5pt; line-height: 1.35; }} "
        f".body {{ columns: {columns}; column-gap: 8mm; text-align: justify; }} "
        "h1 { font-size: 20pt; } h2 { font-size: 14pt; } td { vertical-align: top; padding: 2pt 6pt; }"
        f"</style></head><body><h1>{TITLE}</h1><div class='body'>"
    ]
    for n, sentences in enumerate(PARAGRAPHS):
        if n % 5 == 0:
            parts.append(f"<h2>{n // 5 + 1}. Afsnit om {TOPICS[n // 5 % 6]}</h2>")
        parts.append("<p>" + " ".join(html.escape(s) for s in sentences) + "</p>")
        if n == 12:
            parts.append("<p>Krisestaben anbefaler derfor følgende:</p><ul>")
            parts.extend(f"<li>{html.escape(item)}</li>" for item in LIST)
            parts.append("</ul><table><tr><th>Tidspunkt</th><th>Beslutning</th></tr>")
            parts.extend(f"<tr><td>{a}</td><td>{html.escape(b)}</td></tr>" for a, b in ROWS)
            parts.append("</table>")
    parts.append("</div></body></html>")
    return "".join(parts)


def report_text() -> str:
    """The same report as a corpus .txt file ("# " headings, "• " bullets)."""
    lines = [f"# {TITLE}", ""]
    for n, sentences in enumerate(PARAGRAPHS):
        if n % 5 == 0:
            lines += [f"# {n // 5 + 1}. Afsnit om {TOPICS[n // 5 % 6]}", ""]
        lines += [_visible(" ".join(sentences)), ""]
        if n == 12:
            lines += ["Krisestaben anbefaler derfor følgende:", ""]
            lines += [f"• {_visible(item)}" for item in LIST] + [""]
            lines += [f"• {a} | {b}" for a, b in ROWS] + [""]
    return "\n".join(lines)


def print_pdf(html_text: str, folder: Path, name: str, header_footer: bool) -> bytes:
    source = folder / f"{name}.html"
    source.write_text(html_text, encoding="utf-8")
    target = folder / f"{name}.pdf"
    args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--print-to-pdf={target}", source.as_uri()]
    if not header_footer:
        args.insert(4, "--no-pdf-header-footer")
    subprocess.run(args, check=True, capture_output=True, timeout=120)
    return target.read_bytes()


def passages_of(folder: Path, name: str, data: bytes) -> list[Passage]:
    corpus = folder / f"corpus-{name}"
    corpus.mkdir()
    (corpus / name).write_bytes(data)
    reading = ingest.load_corpus(corpus)
    assert [r.status for r in reading.report] == ["indexed"], reading.report
    return reading.passages


@pytest.fixture(scope="module")
def text_passages(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    folder = tmp_path_factory.mktemp("txt")
    return passages_of(folder, "rapport.txt", report_text().encode("utf-8"))


@pytest.mark.parametrize(
    ("columns", "margin_boxes", "header_footer"),
    [(2, True, False), (1, False, True)],
    ids=["two columns, own running header and page counter", "one column, Chromium's date, title, file and page"],
)
def test_every_sentence_of_a_printed_report_comes_out_whole_in_one_passage(
    tmp_path: Path, text_passages: list[Passage], columns: int, margin_boxes: bool, header_footer: bool
) -> None:
    data = print_pdf(report_html(columns, margin_boxes), tmp_path, "rapport", header_footer)
    extracted = extract_pdf(data, "rapport.pdf")
    assert extracted.pages is not None and extracted.pages >= 3
    passages = passages_of(tmp_path, "rapport.pdf", data)
    texts = [p.text for p in passages]
    sentences = [_visible(s) for paragraph in PARAGRAPHS for s in paragraph] + [_visible(i) for i in LIST]
    broken = [s for s in sentences if not any(s in t for t in texts)]
    assert not broken, broken[:3]
    for when, decision in ROWS:
        assert any(when in t and decision in t for t in texts), (when, decision)
    # The same report as a text file gives about as many passages.
    assert abs(len(passages) - len(text_passages)) <= max(2, len(text_passages) // 10)
    running = re.compile(r"Side \d+ af \d+|file://|\d+/\d+/\d+, \d+:\d+|" + re.escape(RUNNING))
    assert not [t for t in texts if running.search(t)]
    assert {p.page for p in passages} == set(range(1, extracted.pages + 1))
    assert all(p.section for p in passages if p.kind == "body")
