"""Logging in and out: limits on failed attempts, a server-side session per login."""

from __future__ import annotations

import sqlite_utils
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from pipeline.review import audit, auth
from pipeline.review.web import CSRF, MAX_ID, MAX_TEXT, client_address, get_db, safe_next, templates

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/"):
    return templates.TemplateResponse(request, "login.html", {"next": safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse, dependencies=CSRF)
def login(
    request: Request,
    username: str = Form("", max_length=MAX_ID),
    password: str = Form("", max_length=MAX_TEXT),
    next: str = Form("/", max_length=MAX_TEXT),
    db: sqlite_utils.Database = Depends(get_db),
):
    username, address = username.strip(), client_address(request)
    try:
        attempt = auth.begin_login(db, username, address)
    except auth.LoginRefused as exc:
        audit.record(db, username or None, "login", "user", username, result="denied", detail=f"{exc} ({address})")
        context = {"next": safe_next(next), "error": "登录失败次数过多，请 15 分钟后再试", "username": username}
        return templates.TemplateResponse(request, "login.html", context, status_code=429)
    user = auth.authenticate(db, username, password)
    auth.finish_login(db, attempt, user is not None)
    if user is None:
        audit.record(db, username or None, "login_failed", "user", username, result="failed", detail=address)
        context = {"next": safe_next(next), "error": "用户名或密码错误", "username": username}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    request.session.clear()  # a fresh cookie (and CSRF token) for the signed-in user
    request.session["sid"] = auth.start_session(db, user, address)
    audit.record(db, user.username, "login", "user", user.username, detail=address)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, db: sqlite_utils.Database = Depends(get_db)):
    token = request.session.get("sid")
    user = auth.session_user(db, token)
    auth.end_session(db, token)
    audit.record(db, user and user.username, "logout", "user", user and user.username)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
