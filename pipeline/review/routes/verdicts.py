"""A reviewer's writes: a verdict on a finding, a finding the machine missed, a call checked whole.

Every form field is typed and bounded here; the rules (known verdict and category, a real
time span inside the call) are checked by ``queries``, which raises ``ReviewError`` (400).
"""

from __future__ import annotations

import functools

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse

from .. import auth, queries
from ..web import CSRF, MAX_ID, MAX_TEXT, audited_review, current_user, get_db, safe_next

router = APIRouter(dependencies=CSRF)
SQLITE_MAX_INT = 2**63 - 1


@router.post("/findings/{finding_id}/review")
def review_finding(
    request: Request,
    finding_id: int = Path(..., ge=1, le=SQLITE_MAX_INT),
    verdict: str = Form(..., max_length=20),
    comment: str = Form("", max_length=MAX_TEXT),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    record = functools.partial(queries.record_verdict, db, finding_id, verdict, user.username, comment)
    audited_review(db, user, ("verdict", "finding", finding_id), record, "无法保存结论", verdict)
    return RedirectResponse(safe_next(back), status_code=303)


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
