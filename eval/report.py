"""The evaluation table: per-mode scores by kind and split, targets, and its Danish text form.

Built from per-question outcomes only, so it can be tested and printed without a model or index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from eval.dataset import KINDS, Question
from eval.metrics import (
    AbstentionScores,
    Outcome,
    RankScores,
    abstention_scores,
    median_latency,
    rank_scores,
)

Mode = Literal["lexical", "dense", "hybrid"]
SplitChoice = Literal["dev", "heldout", "tune", "all"]

MODES: tuple[Mode, ...] = ("lexical", "dense", "hybrid")
PRODUCT_MODE: Mode = "hybrid"
MODE_LABELS: dict[str, str] = {"lexical": "BM25 alene", "dense": "dense alene", "hybrid": "hybrid (produktet)"}
SCORE_FIELDS: tuple[str, ...] = ("hit_at_1", "hit_at_3", "hit_at_5", "mrr_at_10")


class Target(BaseModel):
    """One acceptance target and whether the figure meets it."""

    name: str
    description: str = Field(description="Danish, for the printed table.")
    threshold: float
    higher_is_better: bool
    value: float | None
    met: bool


class ModeReport(BaseModel):
    """All figures of one retrieval mode; `columns` are split names ('heldout', 'dev' or 'all')."""

    mode: Mode
    label: str
    overall: dict[str, RankScores]
    by_kind: dict[str, dict[str, RankScores]]
    abstention: dict[str, AbstentionScores]
    median_latency_s: float | None
    n_results_checked: int
    verbatim_errors: list[str]


class EvalReport(BaseModel):
    """Everything `python -m eval` prints; `--json` dumps exactly this."""

    split: SplitChoice
    columns: list[str]
    k: int
    n_questions: dict[str, dict[str, int]]
    modes: list[ModeReport]
    targets: list[Target]
    targets_split: str
    n_results_checked: int
    n_verbatim_errors: int

    @property
    def ok(self) -> bool:
        return self.n_verbatim_errors == 0


def columns_for(split: SplitChoice) -> list[str]:
    """Which split columns a run reports: held-out gets a dev column beside it, since it costs nothing extra.

    Args:
        split: the split asked for.

    Returns:
        Column names; the first is the one targets are judged on.
    """
    return ["heldout", "dev"] if split == "heldout" else [split]


def _in_column(outcome: Outcome, column: str) -> bool:
    return column == "all" or outcome.split == column


def mode_report(
    mode: Mode, outcomes: Sequence[Outcome], columns: Sequence[str], n_checked: int, errors: Sequence[str]
) -> ModeReport:
    """Summarise one mode's outcomes.

    Args:
        mode: the retrieval mode.
        outcomes: one outcome per question run.
        columns: split columns to report.
        n_checked: how many results were checked against their article file.
        errors: Danish descriptions of results whose text is not their file slice.

    Returns:
        The mode's figures.
    """
    overall = {c: rank_scores(o for o in outcomes if _in_column(o, c)) for c in columns}
    by_kind = {
        kind: {c: rank_scores(o for o in outcomes if o.kind == kind and _in_column(o, c)) for c in columns}
        for kind in KINDS
        if kind != "out_of_scope"
    }
    abstention = {c: abstention_scores(o for o in outcomes if _in_column(o, c)) for c in columns}
    return ModeReport(
        mode=mode,
        label=MODE_LABELS[mode],
        overall=overall,
        by_kind=by_kind,
        abstention=abstention,
        median_latency_s=median_latency(outcomes),
        n_results_checked=n_checked,
        verbatim_errors=list(errors),
    )


def _target(name: str, description: str, value: float | None, threshold: float, higher: bool) -> Target:
    met = value is not None and (value >= threshold if higher else value <= threshold)
    return Target(
        name=name, description=description, threshold=threshold, higher_is_better=higher, value=value, met=met
    )


def targets_for(product: ModeReport, column: str, n_verbatim_errors: int) -> list[Target]:
    """The acceptance targets, judged on the product mode in one column.

    Args:
        product: the hybrid mode's report.
        column: the split column to judge (held-out when reporting).
        n_verbatim_errors: offset errors over every mode.

    Returns:
        The targets with their values and whether each is met.
    """
    scores = product.overall[column]
    abst = product.abstention[column]
    return [
        _target("hit_at_5", "hit@5 ≥ 0,95", scores.hit_at_5, 0.95, True),
        _target("hit_at_1", "hit@1 ≥ 0,75", scores.hit_at_1, 0.75, True),
        _target("out_of_scope_abstained", "≥ 90 % out-of-scope afvist", abst.out_of_scope_abstained_share, 0.90, True),
        _target("false_abstentions", "≤ 3 % fejlagtige afvisninger", abst.false_abstention_share, 0.03, False),
        _target("offset_errors", "0 forskydningsfejl", float(n_verbatim_errors), 0.0, False),
    ]


def build_report(
    split: SplitChoice,
    k: int,
    questions: Sequence[Question],
    outcomes: Mapping[Mode, Sequence[Outcome]],
    checks: Mapping[Mode, tuple[int, Sequence[str]]],
    n_questions: dict[str, dict[str, int]],
) -> EvalReport:
    """Assemble the whole table.

    Args:
        split: the split asked for.
        k: results fetched per question.
        questions: the questions run.
        outcomes: mode -> one outcome per question.
        checks: mode -> (results checked, verbatim error descriptions).
        n_questions: kind -> split -> count, for the header.

    Returns:
        The report; targets are judged on the product mode if it was run.
    """
    columns = columns_for(split)
    modes = [mode_report(m, outcomes[m], columns, *checks[m]) for m in MODES if m in outcomes]
    n_checked = sum(m.n_results_checked for m in modes)
    n_errors = sum(len(m.verbatim_errors) for m in modes)
    product = next((m for m in modes if m.mode == PRODUCT_MODE), None)
    targets = targets_for(product, columns[0], n_errors) if product else []
    return EvalReport(
        split=split,
        columns=columns,
        k=k,
        n_questions=n_questions,
        modes=modes,
        targets=targets,
        targets_split=columns[0],
        n_results_checked=n_checked,
        n_verbatim_errors=n_errors,
    )


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.0f} %" if percent else f"{value:.2f}"


def _row(label: str, cells: Sequence[RankScores]) -> str:
    n = cells[0].n if cells else 0
    numbers = "  ".join(" ".join(f"{_fmt(getattr(c, f)):>5}" for f in SCORE_FIELDS) for c in cells)
    return f"{label:<18}{n:>4}  {numbers}"


def format_text(report: EvalReport) -> str:
    """The report as a readable Danish table.

    Args:
        report: the assembled report.

    Returns:
        Multi-line text for the terminal.
    """
    lines: list[str] = []
    total = {s: sum(v.get(s, 0) for v in report.n_questions.values()) for s in ("dev", "heldout", "tune")}
    # A tuning file (`--questions eval/tuning.jsonl`) has only "tune" questions: count what is there.
    shown = [s for s in total if total[s]] or ["dev", "heldout"]
    lines.append(f"Erfaringsbanken – evaluering (split: {report.split}, k={report.k})")
    lines.append(
        f"Spørgsmål: {sum(total.values())} ({', '.join(f'{s} {total[s]}' for s in shown)}); pr. slags: "
        + ", ".join(
            f"{kind} {'+'.join(str(v.get(s, 0)) for s in shown)}"
            for kind, v in report.n_questions.items()
            if any(v.get(s, 0) for s in shown)
        )
    )
    lines.append("Et hit: en af de første k passager indeholder en gold-tekst ordret. Afvisning tælles for sig.")
    lines.append("")
    head = "  ".join(f"{m.label:<23}" for m in report.modes)
    metrics = "  ".join("hit@1 hit@3 hit@5 MRR10" for _ in report.modes)
    for column in report.columns:
        lines.append(f"[{column}]" + (" (kun til rapportering, aldrig til tuning)" if column == "heldout" else ""))
        lines.append(f"{'slags':<18}{'n':>4}  {head}")
        lines.append(f"{'':<22}  {metrics}")
        lines.append(_row("alle", [m.overall[column] for m in report.modes]))
        for kind in KINDS:
            if kind == "out_of_scope":
                continue
            cells = [m.by_kind[kind][column] for m in report.modes]
            if not any(c.n for c in cells):
                continue
            lines.append(_row(f"  {kind}", cells))
        lines.append("")
    for m in report.modes:
        if m.mode != PRODUCT_MODE:
            continue
        for column in report.columns:
            a = m.abstention[column]
            lines.append(
                f"Afvisning ({m.label}, {column}): out-of-scope afvist {a.out_of_scope_abstained}/{a.n_out_of_scope}"
                f" = {_fmt(a.out_of_scope_abstained_share, True)}; fejlagtige afvisninger {a.false_abstentions}/"
                f"{a.n_in_scope} = {_fmt(a.false_abstention_share, True)}"
            )
    lines.append(
        "Median svartid: "
        + ", ".join(f"{m.label} {m.median_latency_s * 1000:.0f} ms" for m in report.modes if m.median_latency_s)
    )
    lines.append(
        f"Ordret-tjek: {report.n_results_checked} resultater sammenlignet med artikelfilen, "
        f"{report.n_verbatim_errors} fejl"
    )
    for m in report.modes:
        lines.extend(f"  FEJL ({m.label}): {e}" for e in m.verbatim_errors[:20])
    if report.targets:
        lines.append("")
        lines.append(f"Mål ({MODE_LABELS[PRODUCT_MODE]}, {report.targets_split}):")
        for t in report.targets:
            percent = t.name in ("out_of_scope_abstained", "false_abstentions")
            value = f"{t.value:.0f}" if t.name == "offset_errors" and t.value is not None else _fmt(t.value, percent)
            lines.append(f"  {'OK   ' if t.met else 'IKKE '} {t.description:<32} målt {value}")
        met = sum(t.met for t in report.targets)
        lines.append(f"  {met} af {len(report.targets)} mål er nået.")
    if not report.ok:
        lines.append("Fejl: mindst ét resultat er ikke ordret sin artikelfil. Ret forskydningerne i ingest/index.")
    return "\n".join(lines)


def format_misses(
    questions: Sequence[Question], outcomes: Mapping[Mode, Sequence[Outcome]], column: str, depth: int = 5
) -> str:
    """List the questions of one split whose gold is not in the product's top `depth`.

    Args:
        questions: the questions run.
        outcomes: mode -> outcomes.
        column: the split to list ('dev' while tuning).
        depth: the cutoff (5: the hit@5 target).

    Returns:
        Danish text, one line per miss, with the rank each mode reached.
    """
    by_mode = {mode: {o.question_id: o for o in outs} for mode, outs in outcomes.items()}
    main: Mode = PRODUCT_MODE if PRODUCT_MODE in by_mode else next(iter(by_mode))
    lines = [f"Spørgsmål i {column} uden gold i top {depth} ({MODE_LABELS[main]}):"]
    for q in questions:
        outcome = by_mode[main].get(q.id)
        if outcome is None or not q.in_scope or (column != "all" and q.split != column):
            continue
        if outcome.first_hit_rank is not None and outcome.first_hit_rank <= depth:
            continue
        ranks = ", ".join(f"{m}={by_mode[m][q.id].first_hit_rank or '-'}" for m in by_mode)
        lines.append(f"  {q.id} [{q.kind}] {q.question}  (rang: {ranks}; afvist: {outcome.abstained})")
    if len(lines) == 1:
        lines.append("  ingen")
    wrong_abstain = [
        q
        for q in questions
        if q.id in by_mode[main]
        and (column == "all" or q.split == column)
        and by_mode[main][q.id].abstained == q.in_scope
    ]
    lines.append(f"Forkerte afvisninger i {column} ({MODE_LABELS[main]}):")
    lines.extend(
        f"  {q.id} [{q.kind}] {q.question}  ({'afvist, men dækket' if q.in_scope else 'ikke afvist, men ikke dækket'})"
        for q in wrong_abstain
    )
    if not wrong_abstain:
        lines.append("  ingen")
    return "\n".join(lines)
