"""A reviewer's writes: a verdict on a finding, a finding the machine missed, a call checked whole.

A verdict comes as a plain form (the page reloads; works without script) or from the call
page's script as ``/api/findings/{id}/verdict`` (JSON back, the page and its audio stay). Both
carry ``base``, the finding's newest review when the page was loaded: when someone decided the
finding meanwhile the verdict is refused with 409 and the other verdict is shown instead.

Every form field is typed and bounded here; the rules (known verdict and category, a real
time span inside the call) are checked by ``queries``, which raises ``ReviewError`` (400).
"""

from __future__ import annotations

import functools

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse

from pipeline.present import labels
from pipeline.present.masking import default_masker
from pipeline.review import auth, queries, team
from pipeline.review.web import CSRF, MAX_ID, MAX_TEXT, audited_review, current_user, get_db, safe_next

router = APIRouter(dependencies=CSRF)
SQLITE_MAX_INT = 2**63 - 1


def _verdict(db, user: auth.User, finding_id: int, verdict: str, comment: str, base: str) -> int:
    """Record the verdict (audited); 409 when ``base`` is stale, 400 when it is refused."""
    if base and not (base.isascii() and base.isdigit() and len(base) < 19):
        raise HTTPException(status_code=400, detail="请求参数无效：base")
    base_id = int(base) if base else None  # no base (a script of one's own): no version check
    record = functools.partial(queries.record_verdict, db, finding_id, verdict, user.username, comment, base_id)
    review_id = audited_review(db, user, ("verdict", "finding", finding_id), record, "无法保存结论", verdict)
    call_id = db.execute("SELECT call_id FROM reviews WHERE id = ?", [review_id]).fetchone()[0]
    team.renew(db, call_id, user.username)  # the reviewer's claim lasts while they work
    return review_id


@router.post("/findings/{finding_id}/review")
def review_finding(
    request: Request,
    finding_id: int = Path(..., ge=1, le=SQLITE_MAX_INT),
    verdict: str = Form(..., max_length=20),
    comment: str = Form("", max_length=MAX_TEXT),
    base: str = Form("", max_length=20),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    _verdict(db, user, finding_id, verdict, comment, base)
    return RedirectResponse(safe_next(back), status_code=303)


@router.post("/api/findings/{finding_id}/verdict")
def review_finding_json(
    request: Request,
    finding_id: int = Path(..., ge=1, le=SQLITE_MAX_INT),
    verdict: str = Form(..., max_length=20),
    comment: str = Form("", max_length=MAX_TEXT),
    base: str = Form("", max_length=20),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    """The call page's verdict: the saved review as JSON, or on a conflict (409) the review
    that was added meanwhile, which becomes the new base if the reviewer still insists."""
    try:
        review_id = _verdict(db, user, finding_id, verdict, comment, base)
    except HTTPException as exc:
        if exc.status_code != 409:
            raise
        current = queries.latest_review(db, finding_id)
        return JSONResponse({"detail": exc.detail, "current": _review_json(current)}, status_code=409)
    return _review_json(queries.latest_review(db, finding_id)) | {"review_id": review_id}


def _review_json(review: queries.Review) -> dict:
    return {
        "base": review.id,
        "verdict": review.verdict,
        "label": labels.VERDICT_LABELS.get(review.verdict, review.verdict),
        "reviewer": review.reviewer,
        "at": labels.local_time(review.created_at),
        "comment": default_masker().mask(review.comment) or "",
    }


@router.post("/call/missed")
def add_missed(
    request: Request,
    call_id: str = Form(..., max_length=MAX_ID),
    category: str = Form(..., max_length=50),
    start: float = Form(..., allow_inf_nan=False),
    end: float = Form(..., allow_inf_nan=False),
    comment: str = Form("", max_length=MAX_TEXT),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    record = functools.partial(queries.record_missed, db, call_id, category, start, end, user.username, comment)
    audited_review(db, user, ("missed", "call", call_id), record, "无法添加漏检", category)
    return RedirectResponse(safe_next(back), status_code=303)


@router.post("/call/checked")
def mark_checked(
    request: Request,
    call_id: str = Form(..., max_length=MAX_ID),
    comment: str = Form("", max_length=MAX_TEXT),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    record = functools.partial(queries.record_checked, db, call_id, user.username, comment)
    audited_review(db, user, ("checked", "call", call_id), record, "无法保存整通复核", "whole call")
    return RedirectResponse(safe_next(back), status_code=303)
