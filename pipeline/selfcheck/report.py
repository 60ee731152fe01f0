"""The yearly self-check report: one self-contained HTML file in Chinese.

``build_report`` gathers the figures (every rate with its Wilson interval, the latest sample's
stratified estimate, the detectors' measured precision and recall), ``render_report`` fills
``templates/report.html.j2`` and draws the charts as inline SVG. Counting rule: see
``verdicts.COUNTING_RULE``; the report states it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import sqlite_utils

from pipeline import __version__
from pipeline.errors import CallqaError
from pipeline.present.labels import VERDICT_LABELS, category_label, category_order
from pipeline.present.masking import default_masker
from pipeline.scoring import ScoreGroup, score_groups
from pipeline.selfcheck.charts import category_chart, monthly_chart
from pipeline.selfcheck.monitor import MonitorResult, monitor_with_config
from pipeline.selfcheck.sampling import Sample, latest_sample_id, load_sample, sample_parameters_table
from pipeline.selfcheck.stats import Proportion, StratifiedEstimate, Stratum, stratified_estimate, wilson
from pipeline.selfcheck.verdicts import (
    COUNTING_RULE,
    AppealCount,
    ReviewedFinding,
    Scope,
    appeal_counts,
    missed_reviews,
    reviewed_findings,
    reviewed_sample_call_ids,
    violations_by_call,
)
from pipeline.spreadsheet import write_file
from pipeline.store import now_iso

TEMPLATES = Path(__file__).parent / "templates"
EXAMPLES_PER_CATEGORY = 3


class ReportError(CallqaError, ValueError):
    pass


@dataclass(frozen=True)
class InspectedCall:
    call_id: str
    agency: str | None
    agent_id: str | None
    month: str | None


@dataclass
class CategoryRow:
    category: str
    label: str
    violating: Proportion  # calls violating it, of the calls inspected
    findings: int
    verdicts: Counter  # latest verdict (None: not reviewed) -> findings
    missed: int


@dataclass
class GroupRow:
    """An agency, an agent, or a month: its calls and how many of them violate anything."""

    name: str
    agency: str | None
    violating: Proportion
    findings: int
    confirmed: int
    dismissed: int
    top_category: str | None


@dataclass
class Example:
    category: str
    call_id: str
    agency: str | None
    agent_id: str | None
    month: str | None
    score: float
    evidence: str  # masked
    verdict: str


@dataclass
class SampleSection:
    sample: Sample
    parameters: list[tuple[str, str]]
    strata: list[tuple[str, Stratum]]
    estimate: StratifiedEstimate
    by_category: list[tuple[str, StratifiedEstimate]]
    reviewed_calls: int
    note: str | None = None


@dataclass
class Report:
    year: int
    agency: str | None
    generated_at: str
    calls: int
    violating: Proportion
    categories: list[CategoryRow]
    agencies: list[GroupRow]
    agents: list[GroupRow]
    months: list[GroupRow]
    examples: list[Example]
    sample: SampleSection | None
    sample_note: str | None
    detector: MonitorResult
    undated_calls: int = 0  # ok calls without a start time: in no year's report
    all_agencies: Proportion | None = None  # an agency's report: the year's rate over every agency
    confidence: float = 0.95
    counting_rule: str = COUNTING_RULE
    version: str = __version__
    charts: dict[str, str] = field(default_factory=dict)
    score_agencies: list[ScoreGroup] = field(default_factory=list)  # scorecard scores (pipeline/scoring.py)
    score_agents: list[ScoreGroup] = field(default_factory=list)
    appeals: list[AppealCount] = field(default_factory=list)  # appeals of the year's confirmed findings

    @property
    def appeal_totals(self) -> AppealCount:
        return AppealCount(
            "",
            *(sum(getattr(a, name) for a in self.appeals) for name in ("filed", "pending", "upheld", "overturned")),
        )


def build_report(
    db: sqlite_utils.Database, year: int, config: dict, agency: str | None = None, confidence: float = 0.95
) -> Report:
    scope = Scope(year=year, agency=agency)
    where, params = scope.where()
    calls = [
        InspectedCall(*row)
        for row in db.execute(
            f"SELECT c.id, c.agency, c.agent_id, substr(c.started_at, 1, 7) FROM calls c WHERE {where} ORDER BY c.id",
            params,
        )
    ]
    if not calls:
        of_agency = f" of agency {agency!r}" if agency else ""
        raise ReportError(f"no ok calls{of_agency} started in {year}: nothing to report")
    findings = reviewed_findings(db, scope)
    misses = missed_reviews(db, scope)
    violated = violations_by_call(findings, misses)
    total = len(calls)

    categories = []
    for category in category_order({f.category for f in findings} | {m.category for m in misses}):
        of_category = [f for f in findings if f.category == category]
        categories.append(
            CategoryRow(
                category=category,
                label=category_label(category),
                violating=wilson(sum(category in cats for cats in violated.values()), total, confidence),
                findings=len(of_category),
                verdicts=Counter(f.verdict for f in of_category),
                missed=sum(m.category == category for m in misses),
            )
        )

    report = Report(
        year=year,
        agency=agency,
        generated_at=now_iso(),
        calls=total,
        violating=wilson(len(violated), total, confidence),
        categories=categories,
        agencies=group_rows(calls, findings, violated, lambda c: (c.agency,), confidence),
        agents=group_rows(calls, findings, violated, lambda c: (c.agency, c.agent_id), confidence),
        months=group_rows(calls, findings, violated, lambda c: (c.month,), confidence),
        examples=top_examples(findings),
        sample=None,
        sample_note=None,
        detector=monitor_with_config(db, config, scope),
        undated_calls=undated_calls(db, agency),
        confidence=confidence,
        appeals=appeal_counts(db, scope),
    )
    if agency is not None:
        every_agency = Scope(year=year)
        everywhere = violations_by_call(reviewed_findings(db, every_agency), missed_reviews(db, every_agency))
        report.all_agencies = wilson(len(everywhere), count_calls(db, every_agency), confidence)
    report.sample, report.sample_note = sample_section(db, year, agency, violated, confidence)
    report.score_agencies = score_groups(db, where, params, by_agent=False)
    report.score_agents = score_groups(db, where, params, by_agent=True)
    return report


def count_calls(db: sqlite_utils.Database, scope: Scope) -> int:
    where, params = scope.where()
    return db.execute(f"SELECT count(*) FROM calls c WHERE {where}", params).fetchone()[0]


def undated_calls(db: sqlite_utils.Database, agency: str | None) -> int:
    where, params = Scope(agency=agency).where()
    return db.execute(f"SELECT count(*) FROM calls c WHERE {where} AND c.started_at IS NULL", params).fetchone()[0]


def group_rows(
    calls: list[InspectedCall],
    findings: list[ReviewedFinding],
    violated: dict[str, set[str]],
    key: Callable[[InspectedCall], tuple],
    confidence: float,
) -> list[GroupRow]:
    """One row per group of calls; ``key`` gives a call's group: (name,) or (agency, name)."""
    group_of_call = {call.call_id: key(call) for call in calls}
    members: dict[tuple, list[str]] = defaultdict(list)
    for call in calls:
        members[group_of_call[call.call_id]].append(call.call_id)
    findings_of_group: dict[tuple, list[ReviewedFinding]] = defaultdict(list)
    for f in findings:
        findings_of_group[group_of_call[f.call_id]].append(f)
    rows = []
    for group in sorted(members, key=lambda g: tuple(part or "" for part in g)):
        ids = members[group]
        categories_hit = Counter(c for call_id in ids for c in violated.get(call_id, ()))
        group_findings = findings_of_group[group]
        rows.append(
            GroupRow(
                name=group[-1] or "(未填)",
                agency=group[0] if len(group) > 1 else None,
                violating=wilson(sum(call_id in violated for call_id in ids), len(ids), confidence),
                findings=len(group_findings),
                confirmed=sum(f.verdict == "confirmed" for f in group_findings),
                dismissed=sum(f.verdict == "dismissed" for f in group_findings),
                # most calls first, ties by id: never by set order, which changes between runs
                top_category=min(categories_hit, key=lambda c: (-categories_hit[c], c)) if categories_hit else None,
            )
        )
    return rows


def top_examples(findings: list[ReviewedFinding]) -> list[Example]:
    """Per category, the highest-scoring findings not dismissed, confirmed ones first."""
    mask = default_masker().mask
    examples = []
    for category in category_order({f.category for f in findings}):
        kept = [f for f in findings if f.category == category and f.verdict != "dismissed" and f.evidence]
        kept.sort(key=lambda f: (f.verdict != "confirmed", -f.score, f.finding_id))
        examples += [
            Example(
                f.category,
                mask(f.call_id),
                mask(f.agency),
                mask(f.agent_id),
                f.month,
                f.score,
                mask(f.evidence),
                VERDICT_LABELS.get(f.verdict, f.verdict),
            )
            for f in kept[:EXAMPLES_PER_CATEGORY]
        ]
    return examples


def sample_section(
    db: sqlite_utils.Database, year: int, agency: str | None, violated: dict[str, set[str]], confidence: float
) -> tuple[SampleSection | None, str | None]:
    """The latest sample of the year and the population violation rate estimated from it.

    For one agency's report only that agency's strata count, which needs a sample stratified
    by agency; otherwise the section says why it is left out.
    """
    sample_id = latest_sample_id(db, year)
    if sample_id is None:
        return None, f"{year} 年度尚无抽样记录（可用 callqa sample 抽取）。"
    sample = load_sample(db, sample_id)
    strata = sample.strata
    if agency is not None:
        if "agency" not in sample.plan.by:
            return None, f"最新样本（编号 {sample_id}）未按机构分层，不能单独估计本机构的违规率。"
        position = sample.plan.by.index("agency")
        strata = [s for s in strata if s.key[position] == agency]
    members: dict[str, list[str]] = defaultdict(list)
    for call_id, label in sample.calls:
        members[label].append(call_id)

    def estimate(is_violating) -> tuple[list[tuple[str, Stratum]], StratifiedEstimate]:
        rows = [
            (s.label, Stratum(s.population, len(members[s.label]), sum(is_violating(c) for c in members[s.label])))
            for s in strata
        ]
        return rows, stratified_estimate([r for _, r in rows], confidence)

    rows, overall = estimate(lambda call_id: call_id in violated)
    categories = category_order({c for call_id, _ in sample.calls for c in violated.get(call_id, ())})
    by_category = [
        (category, estimate(lambda call_id, category=category: category in violated.get(call_id, ()))[1])
        for category in categories
    ]
    in_scope = {c for s in strata for c in members[s.label]}
    reviewed = len(reviewed_sample_call_ids(db, sample_id) & in_scope)
    return SampleSection(sample, sample_parameters_table(sample), rows, overall, by_category, reviewed), None


# --- rendering ------------------------------------------------------------------------


def render_report(report: Report) -> str:
    report.charts = {
        "monthly": monthly_chart(report.months),
        "categories": category_chart(report.categories, report.confidence) if report.categories else "",
    }
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    environment.filters["pct"] = percent
    environment.filters["masked"] = default_masker().mask
    environment.globals.update(category_label=category_label, VERDICT_LABELS=VERDICT_LABELS)
    return environment.get_template("report.html.j2").render(report=report)


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def write_report(
    db: sqlite_utils.Database, path: str | Path, year: int, config: dict, agency: str | None = None
) -> Report:
    report = build_report(db, year, config, agency)
    html = render_report(report)
    write_file(path, lambda out: out.write(html), "w", encoding="utf-8")
    return report
