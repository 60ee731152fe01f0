"""The cross-call rule ``premature_third_party``: a call to a third party (a contact of the
debtor) placed while the debtor could still be reached.

NIFA 8(二), GB 5.2.1.1 and HN 13 allow contacting third parties only to find a debtor who cannot
be reached; the banks' guideline (CBA) says when that is: the debtor's number is invalid, or
``failed_attempts`` (3) calls to the debtor in a row failed. So a third-party call is flagged
unless, before it, a call to the debtor recorded the number as invalid, or the debtor's last
``failed_attempts`` calls all failed (not connected for ``min_effective_seconds`` with both
parties speaking; the same measure as ``call_frequency``). Manifest columns read (``calls.extra``):
``callee`` marks a third-party call, ``number_status`` an invalid number; see ``crosscall.py``.
"""

from __future__ import annotations

from pipeline.categories import category_table
from pipeline.detect.base import Result
from pipeline.detect.crosscall import BOTH_SPOKE, DURATION, OUTBOUND, READABLE_TIME, CrossCallRule, Query, Scope
from pipeline.detect.settings import CallFrequencySettings, PrematureThirdPartySettings
from pipeline.present.explanation import sentence

THIRD_PARTY = (
    "lower(coalesce(json_extract(c.extra, '$.callee'), '')) IN "
    "('third_party', 'third party', 'contact', '联系人', '紧急联系人', '第三方', '第三人')"
)
INVALID_NUMBER = "lower(coalesce(json_extract(c.extra, '$.number_status'), '')) IN ('invalid', 'unreachable', '空号', '停机', '无效')"
MIN_EFFECTIVE_SECONDS = CallFrequencySettings.min_effective_seconds


class PrematureThirdParty(CrossCallRule):
    family = "premature_third_party"
    settings: PrematureThirdPartySettings | None

    def find(self, query: Query, scope: Scope) -> tuple[list[str] | None, list[Result]]:
        calls = None if scope.days is None else [row[0] for row in query(f"SELECT c.id {scope.calls}", scope.params)]
        if self.settings is None:
            return calls, []
        needed = self.settings.failed_attempts
        third_party_calls = query(
            f"""SELECT c.id, c.debtor_id, c.started_at, julianday(c.started_at), {DURATION} {scope.calls}
            WHERE {READABLE_TIME} AND {OUTBOUND} AND {THIRD_PARTY} AND c.debtor_id IS NOT NULL
            ORDER BY c.started_at, c.id""",
            scope.params,
        )
        results = []
        for call_id, debtor, started_at, instant, duration in third_party_calls:
            earlier = query(
                f"""SELECT c.id, substr(c.started_at, 1, 16), {INVALID_NUMBER},
                       c.status = 'ok' AND {DURATION} >= :min_seconds AND {BOTH_SPOKE}
                FROM calls c
                WHERE c.debtor_id = :debtor AND {READABLE_TIME} AND {OUTBOUND} AND NOT {THIRD_PARTY}
                  AND julianday(c.started_at) < :instant
                ORDER BY julianday(c.started_at) DESC, c.id DESC""",
                {"debtor": debtor, "instant": instant, "min_seconds": MIN_EFFECTIVE_SECONDS},
            )
            if any(invalid for _, _, invalid, _ in earlier):
                continue
            last = earlier[:needed]
            if len(last) == needed and not any(answered for _, _, _, answered in last):
                continue
            results.append(
                self.result(
                    call_id,
                    duration,
                    evidence=f"拨打第三人 {started_at[:16].replace('T', ' ')}",
                    clauses=category_table()["premature_third_party"].clauses,
                    detector="rule:premature_third_party",
                    text=_why(debtor, started_at, last, needed),
                )
            )
        return calls, results


def _why(debtor: str, started_at: str, last: list[tuple], needed: int) -> str:
    when = started_at[:16].replace("T", " ")
    if not last:
        return sentence("premature_third_party.never_tried", when=when, debtor=debtor)
    answered = [f"{call_id}（{at.replace('T', ' ')}）" for call_id, at, _, ok in last if ok]
    if answered:
        found = sentence("premature_third_party.answered", tried=len(last), answered=answered)
    else:
        found = sentence("premature_third_party.unanswered", tried=len(last))
    return sentence("premature_third_party.reachable", when=when, debtor=debtor, found=found, needed=needed)
