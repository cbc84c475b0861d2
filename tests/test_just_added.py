"""A just-added article is never declined on its own words, its title's included (issue 26).

A leader adds a memo titled "Strømsvigtet i Nordby Kommune" whose text says "uden strøm" and never
"strømsvigt", and asks about "strømsvigtet i Nordby Kommune"; the same for a water outage titled
"Vandmanglen i Sønderby". Before the memo the library (the two seed articles) does not answer; after
it, the question is answered with the memo. Real model, real index, real dictionary.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import library
from index.dense.embed import Embedder

NORDBY = """Læringsnotat fra krisestaben, marts 2026

Efter stormen natten til den 4. februar var 6.200 husstande uden strøm i op til 38 timer. Krisestaben \
blev samlet kl. 05.30 på rådhuset, som selv kørte på nødgenerator.

Hjemmeplejen ringede til alle borgere med iltapparat inden for de første fire timer. Plejecentrene havde \
nødgeneratorer, men den ene startede ikke, fordi den ikke var afprøvet i et år.

Vi skal afprøve nødgeneratorerne hver måned og have en liste over borgere, der er afhængige af strøm til \
medicinsk udstyr. Når mobilnettet falder ud, skal vi kunne nå borgerne via lokalradioen.
"""

SOENDERBY = """Notat fra forsyningen og kommunens beredskab, august 2026

Et brud på hovedledningen betød, at 3.400 husstande var uden vand fra hanen i tre døgn. Kommunen stillede \
vandtanke op ved skolen og idrætshallen, og hjemmeplejen bragte flaskevand ud til ældre, der ikke selv \
kunne hente det.

Vandtankene kom hurtigt ud, men skiltningen var dårlig, og mange borgere vidste ikke, hvor de skulle hente \
vand. Næste gang sender vi en sms med et kort over tankene inden for to timer.
"""

CASES = [
    ("notat_nordby.txt", NORDBY, "Strømsvigtet i Nordby Kommune", "Nordby Kommune",
     "Hvad lærte de af strømsvigtet i Nordby Kommune?"),
    ("notat_soenderby.txt", SOENDERBY, "Vandmanglen i Sønderby", "Sønderby Forsyning",
     "Hvad lærte kommunen af vandmanglen i Sønderby?"),
    ("notat_soenderby.txt", SOENDERBY, "Vandmanglen i Sønderby", "Sønderby Forsyning",
     "Hvordan fik borgerne vand under vandmanglen?"),
]


@pytest.mark.parametrize(("name", "text", "title", "publisher", "question"), CASES)
def test_a_question_in_a_just_added_memo_s_title_words_is_answered_with_the_memo(
    name: str, text: str, title: str, publisher: str, question: str, tmp_path: Path, corpus_dir: Path,
    seed_index_dir: Path, e5_embedder: Embedder,
) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus_dir, corpus)
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    books = library.Library(corpus, index_dir, e5_embedder)
    crisis_word = title.split()[0].lower()
    assert crisis_word not in text.lower()  # the crisis is named in the title alone

    before = books.searcher().search(question, k=5)
    assert before.abstained and crisis_word in before.absent_words

    books.add_article(name, text.encode("utf-8"), library.NewArticle(title=title, publisher=publisher))
    after = books.searcher().search(question, k=5)
    assert not after.abstained, question
    assert crisis_word not in after.absent_words and "nordby" not in after.absent_words
    assert name in {r.article.file for r in after.results[:3]}
