"""`python -m index`: search the index from the command line.

Examples:
    python -m index "Hvad sagde de om værnemidler?"
    python -m index --json --k 3 < spoergsmaal.txt
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import index
from index.models import Answer
from library.paths import resolve_paths  # the command reads the library setting the app and python -m ingest read

_STRENGTH_DA = {"strong": "stærkt match", "possible": "muligt match", "weak": "svagt match"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m index",
        description="Søg i kommunale lederes kriseerfaringer og få ordrette citater med kilde. "
        "Uden SPØRGSMÅL læses ét spørgsmål pr. linje fra standard input.",
        epilog='Eksempel: python -m index "Hvad sagde de om værnemidler?" --k 3 --json',
    )
    parser.add_argument("question", nargs="?", metavar="SPØRGSMÅL", help="spørgsmålet på dansk")
    parser.add_argument("--k", type=int, default=5, help="antal resultater (1-100, standard 5)")
    parser.add_argument("--json", action="store_true", help="ét JSON-objekt pr. spørgsmål, ét pr. linje")
    parser.add_argument("--library", type=Path, default=None,
                        help="bibliotekets datamappe (standard: $ERFARINGSBANKEN_LIBRARY, ellers data/)")
    parser.add_argument("--index-dir", type=Path, default=None, help="en indeksmappe alene (i stedet for bibliotekets)")
    parser.add_argument(
        "--mode", choices=["hybrid", "dense", "lexical"], default="hybrid", help="søgemåde (standard: hybrid)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.k <= 100:
        parser.error("--k skal være et tal fra 1 til 100")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the CLI.

    Args:
        argv: the arguments (None: sys.argv).

    Returns:
        The exit code: 0 every question answered, 1 a question was refused (too long; the
        others are still answered), 2 no usable index.
    """
    args = parse_args(argv)
    try:
        searcher = index.load(resolve_paths(args.library, index_dir=args.index_dir).index_dir)
    except index.SearchIndexError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    questions: Iterable[str] = [args.question] if args.question is not None else _stdin_questions()
    refused = 0
    for typed in questions:
        # Bytes that are not UTF-8 (argv gives them as lone surrogates) could not be printed back.
        question = typed.encode("utf-8", "replace").decode("utf-8")
        try:
            answer = searcher.search(question, k=args.k, mode=args.mode)
        except (ValueError, index.SearchTimeoutError) as exc:  # refused (too long, too slow): go on with the next
            refused += 1
            print(f"Fejl: {exc}", file=sys.stderr, flush=True)
            if args.json:
                refusal = {"question": question, "abstained": True, "results": [], "error": str(exc)}
                print(json.dumps(refusal, ensure_ascii=False), flush=True)
            continue
        if args.json:
            print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False), flush=True)
        else:
            print(format_answer(answer), flush=True)
    return 1 if refused else 0


def _stdin_questions() -> Iterable[str]:
    # A pasted line in another encoding must not end the whole run with a decoding error.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    for line in sys.stdin:
        if line.strip():
            yield line.rstrip("\n")


def format_answer(answer: Answer) -> str:
    """Readable Danish text for one answer.

    Args:
        answer: the answer.

    Returns:
        Lines to print.
    """
    lines = [f"Spørgsmål: {answer.question}"]
    if answer.abstained:
        lines.append("Ingen passage svarer godt nok på spørgsmålet. Prøv at spørge mere konkret eller med andre ord.")
        if answer.results:
            lines.append("De nærmeste passager (svage match):")
    for r in answer.results:
        lines.append(f"{r.rank}. [{_STRENGTH_DA[r.strength]}] ”{r.text}”")
        source = [f"Kilde: {r.article.title}" + (" (titel udledt af teksten)" if r.article.title_is_derived else "")]
        if r.section:
            source.append(f"afsnit: {r.section}")
        if r.speaker:
            source.append(f"sagt af: {r.speaker}")
        source.append(f"fil: {r.article.file}, tegn {r.char_start}-{r.char_end}")
        if r.article.url:
            source.append(r.article.url)
        lines.append("   " + "; ".join(source))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
