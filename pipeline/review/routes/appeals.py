"""Appeals: an appellant account files them on its agency's confirmed findings; reviewers
decide them (not the one who confirmed). Both sides are audited."""

from __future__ import annotations

import functools

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from pipeline.review import appeals, audit, auth
from pipeline.review.queries import ReviewError
from pipeline.review.refusals import chinese
from pipeline.review.web import CSRF, MAX_TEXT, current_user, get_db, templates

router = APIRouter()
SQLITE_MAX_INT = 2**63 - 1


@router.get("/appeals", response_class=HTMLResponse)
def appeals_page(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
    context = {
        "user": user,
        "status_labels": appeals.STATUS_LABELS,
        "decisions": appeals.DECISIONS,
        "counts": appeals.counts(db),
    }
    if user.is_appellant:
        context["appealable"] = appeals.appealable(db, user.agency)
    else:
        context["pending"] = appeals.appeals(db, pending=True)
        context["decided"] = appeals.appeals(db, pending=False)[:100]
    return templates.TemplateResponse(request, "appeals.html", context)


def _audited(db, user: auth.User, action: str, object_id: int, do, detail: str):
    try:
        do()
    except ReviewError as exc:
        audit.record(
            db,
            user.username,
            action,
            "appeal" if action != "appeal" else "finding",
            object_id,
            result="denied",
            detail=str(exc),
        )
        raise HTTPException(status_code=400, detail=chinese(exc)) from exc
    audit.record(db, user.username, action, "appeal" if action != "appeal" else "finding", object_id, detail=detail)
    return RedirectResponse("/appeals", status_code=303)


@router.post("/appeals", dependencies=CSRF)
def file_appeal(
    request: Request,
    finding_id: int = Form(..., ge=1, le=SQLITE_MAX_INT),
    reason: str = Form("", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    if not user.is_appellant:
        raise HTTPException(status_code=403, detail="只有申诉账号（坐席/机构）可以提交申诉")
    do = functools.partial(appeals.file_appeal, db, finding_id, user.username, user.agency, reason)
    return _audited(db, user, "appeal", finding_id, do, reason[:200])


@router.post("/appeals/{appeal_id}/decide", dependencies=CSRF)
def decide(
    request: Request,
    appeal_id: int = Path(..., ge=1, le=SQLITE_MAX_INT),
    decision: str = Form(..., max_length=20),
    comment: str = Form("", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    if user.is_appellant:
        raise HTTPException(status_code=403, detail="申诉由质检员复议")
    do = functools.partial(appeals.decide, db, appeal_id, decision, user.username, comment)
    return _audited(db, user, "appeal_decision", appeal_id, do, decision)
