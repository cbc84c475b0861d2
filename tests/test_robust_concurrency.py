"""One searcher, many sessions: threads get exactly the sequential answers; a rebuild swaps atomically."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import index
from ingest.models import CorpusReading

QUESTIONS = [
    "Hvad sagde de om værnemidler?", "samarbejde med de praktiserende læger", "hjemmearbejde og digitale møder",
    "Hvordan rydder kommunen sne?", "krisestab og hurtige beslutninger", "ældre borgere på plejehjem",
    "test og smitteopsporing", "ledelse på afstand", "Hvad lærte de om kommunikation til borgerne?",
    "regionen og staten", "KL's rolle", "nye samarbejder på tværs", "hverdagsinnovation", "frivillige",
    "What about protective equipment?", "😷", "<script>alert(1)</script>", "lægerne", "coronakrisen", "MED-udvalget",
]
THREADS = 8
PER_THREAD = 200


def test_eight_threads_get_exactly_the_sequential_answers(seed_searcher: index.Searcher) -> None:
    reference = {q: seed_searcher.search(q, k=5) for q in QUESTIONS}
    mismatches: list[str] = []
    errors: list[BaseException] = []

    def session(seed: int) -> None:
        rnd = random.Random(seed)
        try:
            for _ in range(PER_THREAD):
                question = rnd.choice(QUESTIONS)
                if seed_searcher.search(question, k=5) != reference[question]:
                    mismatches.append(question)
        except BaseException as exc:  # any error in a session is a failure, reported below
            errors.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=session, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    total = THREADS * PER_THREAD
    print(f"\n{THREADS} tråde x {PER_THREAD} = {total} spørgsmål: {seconds:.1f} s, {len(mismatches)} afvigelser, "
          f"{len(errors)} fejl")
    assert errors == [] and mismatches == []


def test_readers_see_the_old_or_the_new_index_never_a_mix(
    seed_searcher: index.Searcher, seed_reading: CorpusReading, e5_embedder: index.Embedder, tmp_path: Path
) -> None:
    target = tmp_path / "index"
    half = [p for p in seed_reading.passages if p.article.id == seed_reading.articles[0].id]
    small = index.build(half, articles=seed_reading.articles[:1], embedder=e5_embedder)
    versions = {len(seed_searcher.passages): seed_searcher, len(small.passages): small}
    question = QUESTIONS[0]
    expected = {n: s.search(question) for n, s in versions.items()}
    seed_searcher.save(target)
    stop = threading.Event()
    seen: dict[int, int] = {}
    problems: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                loaded = index.load(target, embedder=e5_embedder)
                n = len(loaded.passages)
                if n not in expected or loaded.manifest.n_passages != n or loaded.search(question) != expected[n]:
                    problems.append(f"a mixed index with {n} passages")
                seen[n] = seen.get(n, 0) + 1
            except Exception as exc:  # an error while a rebuild swaps is exactly what must not happen
                problems.append(repr(exc))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    swaps = 0
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline:
        (small if swaps % 2 == 0 else seed_searcher).save(target)
        swaps += 1
    stop.set()
    for thread in readers:
        thread.join()
    print(f"\n{swaps} ombygninger under læsning; læsninger pr. version {seen}; problemer {len(problems)}")
    assert problems == []
    assert len(seen) == 2 and sum(seen.values()) >= 10
