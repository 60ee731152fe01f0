"""Scores of stored calls: each call's findings through the scorecard that applies to it, the
score, grade and breakdown written to ``call_scores``.

Scoring reads only what is stored (findings, the newest verdicts, the calls' manifest columns),
so after a template changes ``callqa score`` re-scores every call without detecting again. A
scan or redetect scores the calls it touched when it finishes. What counts: every finding whose
newest verdict is not ``dismissed``, and every miss a reviewer added (verdict ``missed``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import store
from pipeline.categories import category_table
from pipeline.config import ScoringOptions
from pipeline.resources import data_path
from pipeline.scorecard import Occurrence, Scorecards, read_scorecards


def scorecards_for(config: dict[str, Any]) -> Scorecards:
    """The templates of ``scoring.templates``, checked against the categories and analyst rules
    that detection runs with these settings."""
    from pipeline.analyst.language import read_rule_pack, rule_paths
    from pipeline.detect.settings import DetectionSettings

    settings = DetectionSettings.from_config(config)
    rules = {rule.id for rule in read_rule_pack(rule_paths(settings.rules)).rules} if settings.rules else set()
    categories = set(category_table().categories) | set(settings.added_categories)
    paths = [_path(p) for p in ScoringOptions.from_config(config).templates]
    return read_scorecards(paths, categories, rules)


def _path(entry: str) -> Path:
    path = Path(entry)
    return path if path.is_absolute() or path.exists() else data_path(entry)


@dataclass
class ScoringSummary:
    calls: int = 0
    by_template: dict[str, int] = field(default_factory=dict)
    by_grade: dict[str, int] = field(default_factory=dict)
    failed_critical: int = 0


def score_calls(db, config: dict[str, Any], where: str = "1", params: list | tuple = ()) -> ScoringSummary:
    """Score the stored calls (status ok) that ``where`` selects (a condition on ``calls c``,
    with its ``params``): by default all of them."""
    scorecards = scorecards_for(config)
    where, params = f"c.status = 'ok' AND ({where})", list(params)
    calls = db.execute(
        f"SELECT c.id, c.agent_id, c.agency, c.debtor_id, c.extra FROM calls c WHERE {where}", params
    ).fetchall()
    occurrences = _occurrences(db, where, params)
    summary = ScoringSummary()
    rows = []
    scored_at = store.now_iso()
    for call_id, agent_id, agency, debtor_id, extra in calls:
        columns = {
            **(json.loads(extra) if extra else {}),
            "agent_id": agent_id,
            "agency": agency,
            "debtor_id": debtor_id,
        }
        result = scorecards.for_call(columns).score(occurrences.get(call_id, ()))
        rows.append(
            (
                call_id,
                result.template,
                result.score,
                result.grade,
                int(result.failed_critical),
                json.dumps([item.to_json() for item in result.items], ensure_ascii=False),
                scored_at,
            )
        )
        summary.calls += 1
        summary.by_template[result.template] = summary.by_template.get(result.template, 0) + 1
        summary.by_grade[result.grade] = summary.by_grade.get(result.grade, 0) + 1
        summary.failed_critical += result.failed_critical
    with store.writing(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO call_scores (call_id, template, score, grade, failed_critical, breakdown, scored_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return summary


def _occurrences(db, where: str, params: list) -> dict[str, list[Occurrence]]:
    """Per call: its findings not dismissed by their newest verdict, and the misses reviewers added."""
    found: dict[str, list[Occurrence]] = defaultdict(list)
    query = f"""
        SELECT f.call_id, f.category, f.detector FROM findings f JOIN calls c ON c.id = f.call_id
        WHERE {where} AND NOT EXISTS (
            SELECT 1 FROM latest_reviews r WHERE r.finding_id = f.id AND r.verdict = 'dismissed')
        UNION ALL
        SELECT r.call_id, r.category, 'reviewer' FROM latest_reviews r JOIN calls c ON c.id = r.call_id
        WHERE {where} AND r.finding_id IS NULL AND r.verdict = 'missed'
    """
    for call_id, category, detector in db.execute(query, params + params):
        found[call_id].append(Occurrence(category, tuple(detector.split("+"))))
    return found


def call_score(db, call_id: str) -> dict[str, Any] | None:
    """The stored score of one call with its breakdown, for the console's call page."""
    row = db.execute(
        "SELECT template, score, grade, failed_critical, breakdown, scored_at FROM call_scores WHERE call_id = ?",
        [call_id],
    ).fetchone()
    if row is None:
        return None
    template, score, grade, failed_critical, breakdown, scored_at = row
    return {
        "template": template,
        "score": score,
        "grade": grade,
        "failed_critical": bool(failed_critical),
        "items": json.loads(breakdown),
        "scored_at": scored_at,
    }


@dataclass
class ScoreGroup:
    """How an agency's or an agent's calls scored: for the yearly report."""

    name: str
    agency: str | None  # for an agent: their agency
    calls: int
    mean: float
    median: float
    lowest: float
    failed_critical: int
    grades: dict[str, int]  # grade -> calls, most frequent first


def score_groups(db, where: str, params: list, by_agent: bool) -> list[ScoreGroup]:
    """Score distribution per agency (or per agency and agent) of the calls ``where`` selects
    (a condition on ``calls c``); calls not yet scored are left out."""
    keys = "c.agency, c.agent_id" if by_agent else "c.agency, NULL"
    rows = db.execute(
        f"SELECT {keys}, s.score, s.grade, s.failed_critical FROM calls c JOIN call_scores s ON s.call_id = c.id "
        f"WHERE {where}",
        params,
    ).fetchall()
    members: dict[tuple, list[tuple]] = defaultdict(list)
    for agency, agent, *scored in rows:
        members[(agency, agent)].append(tuple(scored))
    groups = []
    for (agency, agent), scored in sorted(members.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        scores = sorted(score for score, _, _ in scored)
        grades: dict[str, int] = defaultdict(int)
        for _, grade, _ in scored:
            grades[grade] += 1
        middle = len(scores) // 2
        groups.append(
            ScoreGroup(
                name=(agent if by_agent else agency) or "(未填)",
                agency=agency if by_agent else None,
                calls=len(scores),
                mean=round(sum(scores) / len(scores), 1),
                median=scores[middle] if len(scores) % 2 else (scores[middle - 1] + scores[middle]) / 2,
                lowest=scores[0],
                failed_critical=sum(failed for _, _, failed in scored),
                grades=dict(sorted(grades.items(), key=lambda g: (-g[1], g[0]))),
            )
        )
    return groups
