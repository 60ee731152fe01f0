"""Admin pages: the audit log, the accounts (added, reset and switched off here), and the
dashboard every reviewer sees."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from pipeline.review import audit, auth, dashboard
from pipeline.review.refusals import chinese
from pipeline.review.web import CSRF, MAX_ID, MAX_TEXT, admin_user, current_user, get_db, templates

router = APIRouter()


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: auth.User = Depends(admin_user), db=Depends(get_db)):
    rows = list(
        db.query(
            "SELECT at, username, action, object_type, object_id, result, detail FROM audit_log "
            "ORDER BY id DESC LIMIT 500"
        )
    )
    return templates.TemplateResponse(request, "admin.html", {"user": user, "rows": rows, "users": _users(db)})


def _users(db) -> list[dict]:
    return list(db.query("SELECT username, role, agency, created_at, active FROM users ORDER BY username"))


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, user: auth.User = Depends(admin_user), db=Depends(get_db)):
    context = {"user": user, "users": _users(db), "roles": auth.ROLES, "error": None}
    return templates.TemplateResponse(request, "users.html", context)


@router.post("/admin/users", response_class=HTMLResponse, dependencies=CSRF)
def save_user(
    request: Request,
    username: str = Form(..., max_length=MAX_ID),
    password: str = Form(..., max_length=MAX_TEXT),
    role: str = Form(..., max_length=20),
    agency: str = Form("", max_length=MAX_ID),
    user: auth.User = Depends(admin_user),
    db=Depends(get_db),
):
    """Add an account, or reset one's password and role (its sessions end)."""
    try:
        auth.add_user(db, username, password, role, agency)
    except auth.UserError as exc:
        audit.record(db, user.username, "user", "user", username, result="failed", detail=str(exc))
        context = {
            "user": user,
            "users": _users(db),
            "roles": auth.ROLES,
            "error": chinese(exc),
            "form": {"username": username, "role": role, "agency": agency},
        }
        return templates.TemplateResponse(request, "users.html", context, status_code=400)
    audit.record(db, user.username, "user", "user", username, detail=f"saved as {role}")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/active", dependencies=CSRF)
def switch_user(
    request: Request,
    username: str = Form(..., max_length=MAX_ID),
    active: str = Form(..., max_length=1),
    user: auth.User = Depends(admin_user),
    db=Depends(get_db),
):
    if username == user.username:
        raise HTTPException(status_code=400, detail="不能停用自己的账号")
    try:
        auth.set_active(db, username, active == "1")
    except auth.UserError as exc:
        raise HTTPException(status_code=404, detail="没有这个账号") from exc
    audit.record(db, user.username, "user", "user", username, detail="enabled" if active == "1" else "disabled")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
    context = {"user": user, "board": dashboard.summary(db)}
    return templates.TemplateResponse(request, "dashboard.html", context)
