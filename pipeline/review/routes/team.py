"""Team work: claiming a call from the queue, an admin's assignment, giving a call back, and
the reviewers' workload and agreement."""

from __future__ import annotations

import functools

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from pipeline.review import audit, auth, team
from pipeline.review.queries import ReviewError
from pipeline.review.refusals import chinese
from pipeline.review.web import CSRF, MAX_ID, MAX_TEXT, admin_user, current_user, get_db, safe_next, templates

router = APIRouter()


def _held(db, user: auth.User, action: str, call_id: str, do, back: str):
    try:
        result = do()
    except ReviewError as exc:
        audit.record(db, user.username, action, "call", call_id, result="denied", detail=str(exc))
        raise HTTPException(status_code=409, detail=f"无法{TEAM_ACTIONS[action]}：{chinese(exc)}") from exc
    audit.record(db, user.username, action, "call", call_id, detail=result.assignee if result else None)
    return RedirectResponse(safe_next(back), status_code=303)


TEAM_ACTIONS = {"claim": "领取", "assign": "分配", "release": "释放"}


@router.post("/call/claim", dependencies=CSRF)
def claim(
    request: Request,
    call_id: str = Form(..., max_length=MAX_ID),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    return _held(db, user, "claim", call_id, functools.partial(team.claim, db, call_id, user.username), back)


@router.post("/call/assign", dependencies=CSRF)
def assign(
    request: Request,
    call_id: str = Form(..., max_length=MAX_ID),
    assignee: str = Form(..., max_length=MAX_ID),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(admin_user),
    db=Depends(get_db),
):
    return _held(
        db, user, "assign", call_id, functools.partial(team.assign, db, call_id, assignee, user.username), back
    )


@router.post("/call/release", dependencies=CSRF)
def release(
    request: Request,
    call_id: str = Form(..., max_length=MAX_ID),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    do = functools.partial(team.release, db, call_id, user.username, user.is_admin)
    return _held(db, user, "release", call_id, do, back)


@router.get("/team", response_class=HTMLResponse)
def team_page(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
    context = {"user": user, "workload": team.workload(db), "agreement": team.agreement(db)}
    return templates.TemplateResponse(request, "team.html", context)
