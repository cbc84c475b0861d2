"""Properties of `split_article` on generated articles and on arbitrary text."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.models import Article, Passage
from ingest.passages import split_article

SENTENCES = [
    "Vi hjalp hinanden på tværs af afdelingerne.",
    "Det gik bedre end ventet!",
    "Hvorfor tog det så lang tid?",
    "Alle købte kage\u00a0til personalet 😀 i weekenden.",
    "Det var ”helt vildt” svært at nå.",
    "Café\u0301en åbnede igen d. 9. juni for 0-5. klasse.",
    "Medarbejderne flyttede bl.a. til ’nye’ opgaver.",
    "Søren S. Kjær ringede til KL`s sekretariat.",
    "Det krævede ca. 45 min. hver dag.",
]
HEADINGS = ["Nye veje i hverdagen", "Samarbejde på tværs af sektorer", "Ledelse under pres"]
BOILERPLATE = ["Skip to main content", "Del artiklen:", "Log ind", "Leave a Reply", "Sponsoreret af Firma"]
ARTICLE = Article(
    id="gen", file="gen.txt", encoding="utf-8", sha256="0" * 64, n_chars=0, title="Genereret", title_is_derived=True
)


@dataclass
class Built:
    """A generated article and what the generator knows about it."""

    text: str = ""
    body: list[tuple[int, int]] = field(default_factory=list)
    excluded: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    spoken: list[tuple[int, int, str]] = field(default_factory=list)  # a sentence said by a named speaker

    def add(self, piece: str, role: str = "other") -> None:
        start = len(self.text)
        self.text += piece
        if role == "body":
            self.body.append((start, len(self.text)))
        elif role == "excluded":
            self.excluded.append((start, len(self.text)))


sentence = st.sampled_from(SENTENCES)
block = st.one_of(
    st.tuples(st.just("para"), st.lists(sentence, min_size=1, max_size=7), st.sampled_from([" ", "", "\u00a0"])),
    st.tuples(st.just("heading"), st.sampled_from(HEADINGS), st.just("")),
    st.tuples(st.just("glued"), st.sampled_from(HEADINGS), st.lists(sentence, min_size=1, max_size=4)),
    st.tuples(st.just("quote"), st.lists(sentence, min_size=1, max_size=7), st.sampled_from(["”", "“"])),
    st.tuples(st.just("bullets"), st.lists(sentence, min_size=1, max_size=4), st.sampled_from(["•", "-", "*", "–"])),
    st.tuples(st.just("dialogue"), st.lists(sentence, min_size=1, max_size=4), st.sampled_from(["–", "-", "—"])),
    st.tuples(st.just("guillemets"), st.lists(sentence, min_size=1, max_size=3), st.sampled_from(["»«", "«»"])),
    st.tuples(st.just("boiler"), st.sampled_from(BOILERPLATE), st.just("")),
)


@st.composite
def articles(draw: st.DrawFn) -> Built:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    gap = draw(st.sampled_from([newline, newline * 2, newline + " " + newline]))
    built = Built()
    blocks = draw(st.lists(block, min_size=1, max_size=8))
    blocks.append(("para", ["Til sidst takkede alle hinanden."], " "))
    for kind, content, extra in blocks:
        if kind == "para":
            for i, s in enumerate(content):
                built.add(extra if i else "")
                built.add(s, "body")
        elif kind in ("heading", "glued"):
            built.headings.append((len(built.text), len(built.text) + len(content)))
            built.add(content)
            for i, s in enumerate(extra if kind == "glued" else []):
                built.add(" " if i else "")
                built.add(s, "body")
        elif kind == "quote":
            built.add("Som en chef udtaler: ", "body")
            built.add(extra, "body")
            for i, s in enumerate(content):
                built.add(" " if i else "")
                built.add(s, "body")
            built.add("”", "body")
        elif kind == "dialogue":
            # Danish news: "– …, siger X." then dash paragraphs that go on with the same speaker.
            for i, s in enumerate(content):
                if i:
                    built.add(newline)
                start = len(built.text)
                built.add(f"{extra} ", "body")
                built.add(s[:-1] + ", siger kommunaldirektør Jens Hansen." if i == 0 else s, "body")
                built.spoken.append((start, len(built.text), "kommunaldirektør Jens Hansen"))
        elif kind == "guillemets":
            start = len(built.text)
            built.add(extra[0] + " ".join(content)[:-1] + "," + extra[1] + " siger en beredskabschef.", "body")
            built.spoken.append((start, len(built.text), "en beredskabschef"))
        elif kind == "bullets":
            built.add("De konkrete erfaringer er:", "body")
            for s in content:
                built.add(newline + "  " + extra + "\u00a0")
                built.add(s, "body")
        else:
            built.add(content, "excluded")
        built.add(gap)
    return built


def _check_invariants(text: str, passages: list[Passage]) -> None:
    last_end = 0
    for n, p in enumerate(passages):
        assert p.ordinal == n
        assert text[p.char_start : p.char_end] == p.text
        assert p.text and p.text == p.text.strip()
        assert p.char_start >= last_end, "passages overlap"
        last_end = p.char_end
        spans = p.sentence_spans
        assert spans and spans[0][0] == p.char_start and spans[-1][1] == p.char_end
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert len({p.id for p in passages}) == len(passages)


def _covering(passages: list[Passage], i: int) -> int:
    return sum(1 for p in passages if p.char_start <= i < p.char_end)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_generated_articles_keep_every_body_sentence_exactly_once(built: Built) -> None:
    text = built.text
    passages = split_article(text, ARTICLE)
    _check_invariants(text, passages)
    for s, e in built.body:
        owners = {p.id for p in passages for i in range(s, e) if p.char_start <= i < p.char_end}
        assert len(owners) <= 2, "a sentence is spread over too many passages"
        for i in range(s, e):
            if not text[i].isspace():
                assert _covering(passages, i) == 1, f"character {i} ({text[i]!r}) of a body sentence is lost"
        # A whole sentence lies inside one passage (its last passage-covered char shares an owner).
        assert any(p.char_start <= s and e <= p.char_end for p in passages), f"sentence {text[s:e]!r} was cut"
    for s, e in built.excluded:
        assert all(_covering(passages, i) == 0 for i in range(s, e)), f"boilerplate {text[s:e]!r} in a passage"
    for n, (hs, he) in enumerate(built.headings):
        assert all(_covering(passages, i) == 0 for i in range(hs, he)), "a heading is inside a passage"
        next_heading = built.headings[n + 1][0] if n + 1 < len(built.headings) else len(text)
        under = [p for p in passages if he <= p.char_start < next_heading]
        assert all(p.section == text[hs:he] or p.kind == "contributors" for p in under)
    speakers = {"en chef", "kommunaldirektør Jens Hansen", "en beredskabschef"}
    for p in passages:
        if p.kind == "quote":
            assert p.speaker in speakers
    for s, e, speaker in built.spoken:
        assert [p.speaker for p in passages if p.char_start <= s and e <= p.char_end] == [speaker]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _check_invariants(text, split_article(text, ARTICLE))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*SENTENCES, *HEADINGS, *BOILERPLATE, "\n", "\r\n", "•", "”", ":", "  "]), max_size=30))
def test_shuffled_fragments_keep_offsets(parts: list[str]) -> None:
    text = "".join(parts)
    _check_invariants(text, split_article(text, ARTICLE))
