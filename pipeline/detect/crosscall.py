"""Cross-call rules: quiet hours, call frequency, and calling a third party who refused.

These rules judge a call by the calls around it, so they run in SQL over the stored ``calls``
table after a scan (over the local days it touched) or on demand (``callqa redetect``), never
loading every call into Python; only the findings come back. They read the database through a
read-only query function passed in (``read_only``) and return what they found
(``CrossCallFindings``): the store writes it, in place of the findings of the calls they
recomputed. Like the per-call detectors, each rule declares its category and is built for the
categories the category table feeds from it.

A call's local time is the time written in ``started_at`` (ISO 8601, its offset kept as
written), so a call at ``2026-03-02T23:30:00-05:00`` is on local day 2026-03-02 at 23:30 even
though it is 03-03 in UTC. Calls without a readable ``started_at`` are skipped. A call belongs
to the day it started on, even when it runs past midnight.

Columns read besides ``started_at``, ``duration``, ``debtor_id`` and ``status``, all from the
manifest columns kept in ``calls.extra`` (JSON):

- ``phone`` or ``number``: the number dialled (digits kept, a leading +86 / 0086 dropped);
- ``agreed_time``: present and not false/0/否 when the debtor agreed the call's time;
- ``direction``: ``inbound`` / ``in`` / ``呼入`` marks a call the customer placed; such calls
  are never counted or flagged (the rules are about calls the agent places);
- ``call_type``: ``automated`` / ``ai`` / ``robot`` / ``ivr`` / ``机器人`` / ``智能语音`` /
  ``自动语音`` marks an automated voice call (AI voice). It is an effective call only with
  ``call_frequency.count_automated_calls`` (GB2025 counts them among the 3 a day), and then when
  it connected for ``min_effective_seconds``, whoever spoke;
- ``callee``: ``third_party`` / ``contact`` / ``联系人`` / ``紧急联系人`` / ``第三方`` marks a call to
  someone other than the debtor (``premature_third_party``); ``number_status`` ``invalid`` /
  ``空号`` / ``停机`` marks the debtor's number as unreachable.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from pipeline.calls import Finding
from pipeline.categories import category_table
from pipeline.detect.base import Result
from pipeline.detect.settings import CallFrequencySettings, CategorySettings, DetectionSettings, QuietHoursSettings
from pipeline.present.explanation import Explanation, sentence
from pipeline.yamldoc import YamlDoc

REFUSAL_FILE = "contact_after_refusal.yaml"
# Reads the stored calls: (SQL, parameters) -> rows. ``read_only`` makes one over a connection.
Query = Callable[[str, Any], list[tuple]]

# SQL fragments over `calls c`.
LOCAL_DAY = "substr(c.started_at, 1, 10)"
READABLE_TIME = (
    "c.started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]*'"
    " AND julianday(c.started_at) IS NOT NULL"
)
LOCAL_MINUTE = "CAST(substr(c.started_at, 12, 2) AS INTEGER) * 60 + CAST(substr(c.started_at, 15, 2) AS INTEGER)"
NUMBER = "callqa_digits(coalesce(json_extract(c.extra, '$.phone'), json_extract(c.extra, '$.number')))"
OUTBOUND = "lower(coalesce(json_extract(c.extra, '$.direction'), '')) NOT IN ('inbound', 'in', 'incoming', '呼入')"
NO_AGREED_TIME = (
    "lower(trim(coalesce(CAST(json_extract(c.extra, '$.agreed_time') AS TEXT), '')))"
    " IN ('', '0', 'false', 'no', 'n', 'none', 'null', '否', '无')"
)
DURATION = 'coalesce(c.duration, (SELECT max(s."end") FROM segments s WHERE s.call_id = c.id), 0)'
AUTOMATED = (
    "lower(coalesce(json_extract(c.extra, '$.call_type'), '')) IN "
    "('automated', 'ai', 'robot', 'ivr', '机器人', '智能语音', '自动语音')"
)
BOTH_SPOKE = (
    "EXISTS (SELECT 1 FROM segments s WHERE s.call_id = c.id AND s.speaker = 'agent')"
    " AND EXISTS (SELECT 1 FROM segments s WHERE s.call_id = c.id AND s.speaker = 'customer')"
)


@dataclass(frozen=True)
class Scope:
    """The local days a run looks at (``None``: every day)."""

    days: tuple[str, ...] | None

    @property
    def calls(self) -> str:
        """A FROM clause naming the scoped calls ``c`` (uses the started_at index per day)."""
        if self.days is None:
            return "FROM calls c"
        return "FROM json_each(:days) d JOIN calls c ON c.started_at >= d.value AND c.started_at < d.value || '~'"

    @property
    def params(self) -> dict[str, Any]:
        return {} if self.days is None else {"days": json.dumps(self.days)}

    @property
    def since(self) -> str:
        """The first local day a call placed after one on the scope's days can be on. Offsets
        run from -12:00 to +14:00, so a call written three days earlier can still be later."""
        if self.days is None:
            return ""
        return (date.fromisoformat(self.days[0]) - timedelta(days=3)).isoformat()


@dataclass
class CrossCallFindings:
    """What the rules found over a scope, for the store to write in one transaction: per category,
    the calls whose findings it recomputed (``None``: every call), and the new findings."""

    replaced: dict[str, list[str] | None]
    findings: list[Finding]


class CrossCallRule:
    """A rule over the stored call history: declares its category (``family``, its name in the
    category table) and returns the calls it recomputed over a scope and what it found there."""

    family: ClassVar[str]

    def __init__(self, settings: CategorySettings | None, severity: str, lexicon_dir: Path):
        self.settings = settings  # None: switched off, its findings in the scope are removed
        self.severity = severity

    def find(self, query: Query, scope: Scope) -> tuple[list[str] | None, list[Result]]:
        raise NotImplementedError

    def result(
        self, call_id: str, duration: float, *, evidence: str, clauses: list[str], detector: str, text: str
    ) -> Result:
        """A result on the whole call (span 0 to its duration, no segment, no speaker): certain
        once the records say so."""
        return Result(
            call_id=call_id,
            category=self.family,
            severity=self.severity,
            score=1.0,
            start=0.0,
            end=float(duration),
            speaker=None,
            segment_index=None,
            evidence=evidence,
            clauses=clauses,
            detectors=[detector],
            explanations=[Explanation(detector=detector, text=text)],
        )


def cross_call_findings(
    query: Query, config: dict[str, Any] | None, days: Iterable[str] | None = None
) -> CrossCallFindings:
    """Recompute the cross-call categories over ``days`` (local dates, ``YYYY-MM-DD``; ``None``:
    all). A switched-off category's findings in the scope are to be removed (``replaced`` lists
    its calls, with no findings)."""
    scope = Scope(None if days is None else tuple(sorted(set(days))))
    bad = [day for day in scope.days or () if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)]
    if bad:
        raise ValueError(f"local days must be written YYYY-MM-DD, got {', '.join(map(repr, bad))}")
    if scope.days == ():
        return CrossCallFindings({}, [])
    settings = DetectionSettings.from_config(config)
    replaced: dict[str, list[str] | None] = {}
    findings: list[Finding] = []
    for rule in build_rules(settings):
        replaced[rule.family], found = rule.find(query, scope)
        findings.extend(
            dataclasses.replace(result, clauses=settings.cited(result.clauses)).to_finding() for result in found
        )
    return CrossCallFindings(replaced, findings)


def build_rules(settings: DetectionSettings) -> list[CrossCallRule]:
    """A rule for every category the table feeds from a cross-call family."""
    table = category_table()
    rules = []
    for category in table:
        for family in category.families:
            if family in CROSS_CALL_FAMILIES:
                on = settings.categories[category.id] if settings.runs(category.id) else None
                rules.append(CROSS_CALL_FAMILIES[family](on, settings.severity(category.id), settings.lexicon_path))
    return rules


def read_only(conn: sqlite3.Connection) -> Query:
    """A query function over ``conn`` that refuses anything but reading (SQLite's authorizer), with
    the SQL functions the rules use registered."""
    conn.create_function("callqa_digits", 1, dialled_digits, deterministic=True)

    def query(sql: str, params: Any = ()) -> list[tuple]:
        conn.set_authorizer(_reads_only)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.set_authorizer(None)

    return query


_READING = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    getattr(sqlite3, "SQLITE_RECURSIVE", 33),
}


def _reads_only(action: int, table: str | None, *_: Any) -> int:
    if action in _READING:
        return sqlite3.SQLITE_OK
    # SQLite itself asks this when it first sets up json_each; SQL cannot write the schema table
    if action == sqlite3.SQLITE_UPDATE and table == "sqlite_master":
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def days_of_run(query: Query, run_id: int) -> list[str]:
    """The local days of the calls a scan run stored: what ``cross_call_findings`` needs after it."""
    return [
        row[0]
        for row in query(f"SELECT DISTINCT {LOCAL_DAY} FROM calls c WHERE c.run_id = ? AND {READABLE_TIME}", [run_id])
    ]


def dialled_digits(value: Any) -> str | None:
    """The number dialled as bare digits, so 138-0013-8000 and +86 13800138000 are one number."""
    if value is None:
        return None
    digits = re.sub(r"\D", "", str(value))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits or None


def masked(number: str) -> str:
    """138****8000: enough for a reviewer to tell numbers apart, not to dial them."""
    if len(number) >= 7:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return "*" * (len(number) - 2) + number[-2:]


# --- quiet hours ----------------------------------------------------------------------


class QuietHours(CrossCallRule):
    family = "quiet_hours"
    settings: QuietHoursSettings | None

    def find(self, query: Query, scope: Scope) -> tuple[list[str] | None, list[Result]]:
        calls = _scoped_call_ids(query, scope)
        if self.settings is None:
            return calls, []
        start, end = self.settings.start, self.settings.end
        start_minute, end_minute = QuietHoursSettings.minute_of_day(start), QuietHoursSettings.minute_of_day(end)
        # The window usually wraps midnight (22:00-08:00); a daytime window (e.g. 12:00-13:00) does not.
        joiner = "OR" if start_minute > end_minute else "AND"
        rows = query(
            f"""SELECT c.id, c.started_at, {DURATION} {scope.calls}
            WHERE {READABLE_TIME} AND {OUTBOUND} AND {NO_AGREED_TIME}
              AND ({LOCAL_MINUTE} >= :start {joiner} {LOCAL_MINUTE} < :end)
            ORDER BY c.started_at, c.id""",
            {**scope.params, "start": start_minute, "end": end_minute},
        )
        return calls, [
            self.result(
                call_id,
                duration,
                evidence=f"拨出时间 {started_at}",
                clauses=category_table()["quiet_hours"].clauses,
                detector="rule:quiet_hours",
                text=sentence("quiet_hours", time=started_at[11:16], date=started_at[:10], start=start, end=end),
            )
            for call_id, started_at, duration in rows
        ]


# --- call frequency -------------------------------------------------------------------


@dataclass(frozen=True)
class DailyLimit:
    """At most ``limit`` calls of a kind per debtor (or number) per local day."""

    setting: str  # the key in callqa.yaml (max_<setting>)
    counts_per: str  # SQL: whose calls are counted together
    counted: str  # SQL: which calls count
    describe: str  # Chinese, for the explanation: what was counted
    clauses: tuple[str, ...]  # the clauses that set this limit, of those the category table lists


CONNECTED = f"c.status = 'ok' AND {DURATION} >= :min_seconds"
DAILY_LIMITS = (
    DailyLimit(
        "effective_calls_per_debtor",
        "c.debtor_id",
        f"{CONNECTED} AND (NOT {AUTOMATED} AND {BOTH_SPOKE} OR :count_automated AND {AUTOMATED})",
        "有效通话（不少于 {min_seconds} 秒且双方都有发言{automated}）",
        ("NIFA 16(二)1", "GB 5.2.1.3", "GB2025 clause per final text to be confirmed"),
    ),
    DailyLimit("attempts_per_number", NUMBER, "1", "拨打（含未接通、失败和短通话）", ("HN 9",)),
    DailyLimit("attempts_per_debtor", "c.debtor_id", "1", "拨打（含未接通、失败和短通话）", ("GB 5.2.2.2",)),
    DailyLimit(
        "unanswered_attempts_per_number",
        NUMBER,
        f"NOT ({CONNECTED} AND {BOTH_SPOKE})",
        "未接通拨打（未接、失败、或不足 {min_seconds} 秒、或对方未发言）",
        ("CBA clause per final text to be confirmed",),
    ),
)


class CallFrequency(CrossCallRule):
    family = "call_frequency"
    settings: CallFrequencySettings | None

    def find(self, query: Query, scope: Scope) -> tuple[list[str] | None, list[Result]]:
        calls = _scoped_call_ids(query, scope)
        if self.settings is None:
            return calls, []
        min_seconds = self.settings.min_effective_seconds
        if min_seconds == int(min_seconds):
            min_seconds = int(min_seconds)  # written 6 in the explanation, as in the settings file
        results = []
        for limit in DAILY_LIMITS:
            most = getattr(self.settings, f"max_{limit.setting}")
            if most is None:
                continue
            over = _over_daily_limit(query, scope, limit, most, min_seconds, self.settings.count_automated_calls)
            for call_id, who, day, duration, total, listing in over:
                whom = f"号码 {masked(who)}" if limit.counts_per == NUMBER else f"债务人 {who}"
                automated = "；自动语音外呼接通即计入" if self.settings.count_automated_calls else ""
                counted = limit.describe.format(min_seconds=min_seconds, automated=automated)
                results.append(
                    self.result(
                        call_id,
                        duration,
                        evidence=f"{day} 计入的通话：{listing}",
                        clauses=list(limit.clauses),
                        detector=f"rule:call_frequency.{limit.setting}",
                        text=sentence(
                            "call_frequency",
                            whom=whom,
                            day=day,
                            total=total,
                            counted=counted,
                            most=most,
                            crossing=most + 1,
                            listing=listing,
                        ),
                    )
                )
        return calls, results


def _over_daily_limit(
    query: Query, scope: Scope, limit: DailyLimit, most: int, min_seconds: float, count_automated: bool
):
    """One row per (debtor or number, day) over the limit: the call that crossed it, the day's
    count, and every counted call of that day with its local time, in call order."""
    return query(
        f"""WITH counted AS (
            SELECT c.id, c.started_at, {limit.counts_per} AS who, {LOCAL_DAY} AS day,
                   julianday(c.started_at) AS instant, {DURATION} AS duration
            {scope.calls}
            WHERE {READABLE_TIME} AND {OUTBOUND} AND {limit.counted}
        ), ranked AS (
            SELECT *, row_number() OVER in_order AS position, count(*) OVER whole_day AS total,
                   group_concat(id || ' ' || substr(started_at, 12, 5), '、') OVER whole_day AS listing
            FROM counted WHERE who IS NOT NULL
            WINDOW in_order AS (PARTITION BY who, day ORDER BY instant, id),
                   whole_day AS (in_order ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        )
        SELECT id, who, day, duration, total, listing FROM ranked WHERE position = :most + 1
        ORDER BY day, who""",
        {**scope.params, "most": most, "min_seconds": min_seconds, "count_automated": int(count_automated)},
    )


# --- contact after refusal ------------------------------------------------------------


def read_refusal_cues(lexicon_dir: Path) -> dict[str, list[str]]:
    """The phrases of ``contact_after_refusal.yaml`` in the lexicon folder: refusals and
    third-party cues; a mistake is reported with its file and line."""
    doc = YamlDoc(Path(lexicon_dir) / REFUSAL_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "must be a mapping with refusals and third_party")
    doc.unknown_keys(data, ("refusals", "third_party"), ())
    cues = {key: doc.strings(data.get(key), (key,), required=True) for key in ("refusals", "third_party")}
    for key, phrases in cues.items():
        if not phrases and isinstance(data.get(key), list):
            doc.problem((key,), "must list at least one phrase")
    doc.raise_problems()
    return cues


def _dials_to_scoped_numbers(scope: Scope) -> str:
    """CTE ``dials``: every call, on any day, to a number dialled on the scope's days;
    ``recomputed`` marks those a refusal on the scope's days can come before."""
    numbers_in_scope = (
        "" if scope.days is None else f"AND number IN (SELECT {NUMBER} {scope.calls} WHERE {READABLE_TIME})"
    )
    return f"""dials AS MATERIALIZED (
        SELECT * FROM (
            SELECT c.id, c.started_at, julianday(c.started_at) AS instant, {NUMBER} AS number,
                   {DURATION} AS duration, {OUTBOUND} AS outbound, c.started_at >= :since AS recomputed
            FROM calls c WHERE {READABLE_TIME}
        ) WHERE number IS NOT NULL {numbers_in_scope}
    )"""


class ContactAfterRefusal(CrossCallRule):
    family = "contact_after_refusal"

    def __init__(self, settings: CategorySettings | None, severity: str, lexicon_dir: Path):
        super().__init__(settings, severity, lexicon_dir)
        self.cues = read_refusal_cues(lexicon_dir)

    def find(self, query: Query, scope: Scope) -> tuple[list[str] | None, list[Result]]:
        dials = _dials_to_scoped_numbers(scope)
        params = {**scope.params, "since": scope.since}
        calls = None
        if scope.days is not None:
            calls = [r[0] for r in query(f"WITH {dials} SELECT id FROM dials WHERE recomputed", params)]
        if self.settings is None:
            return calls, []
        rows = query(
            f"""WITH {dials},
            refusals AS (
                SELECT d.id AS call_id, d.number, d.instant, d.started_at, s.idx, s.text,
                       row_number() OVER (PARTITION BY d.number ORDER BY d.instant, d.id, s.idx) AS nth
                FROM dials d JOIN segments s ON s.call_id = d.id
                WHERE s.speaker IN ('customer', 'unknown')
                  AND EXISTS (SELECT 1 FROM json_each(:refusals) r WHERE instr(s.text, r.value) > 0)
                  AND EXISTS (
                      SELECT 1 FROM segments t JOIN json_each(:third_party) q ON instr(t.text, q.value) > 0
                      WHERE t.call_id = d.id AND t.speaker IN ('customer', 'unknown'))
            )
            SELECT later.id, later.started_at, later.duration, r.number, r.call_id, r.started_at, r.text
            FROM refusals r JOIN dials later ON later.number = r.number AND later.instant > r.instant
            WHERE r.nth = 1 AND later.outbound AND later.recomputed
            ORDER BY later.started_at, later.id""",
            {
                **params,
                "refusals": json.dumps(self.cues["refusals"], ensure_ascii=False),
                "third_party": json.dumps(self.cues["third_party"], ensure_ascii=False),
            },
        )
        return calls, [
            self.result(
                call_id,
                duration,
                evidence=refusal_text,
                clauses=category_table()["contact_after_refusal"].clauses,
                detector="rule:contact_after_refusal",
                text=sentence(
                    "contact_after_refusal",
                    number=masked(number),
                    refused_in=refused_in,
                    refused_at=refused_at,
                    refusal=refusal_text,
                    started_at=started_at,
                ),
            )
            for call_id, started_at, duration, number, refused_in, refused_at, refusal_text in rows
        ]


def _scoped_call_ids(query: Query, scope: Scope) -> list[str] | None:
    """The calls whose findings a rule recomputes (``None``: all calls)."""
    if scope.days is None:
        return None
    return [row[0] for row in query(f"SELECT c.id {scope.calls}", scope.params)]


from pipeline.detect.premature_third_party import PrematureThirdParty  # noqa: E402 (it builds on the fragments above)

CROSS_CALL_FAMILIES: dict[str, type[CrossCallRule]] = {
    rule.family: rule for rule in (QuietHours, CallFrequency, ContactAfterRefusal, PrematureThirdParty)
}
CATEGORIES = tuple(c.id for c in category_table() if set(c.families) & set(CROSS_CALL_FAMILIES))
