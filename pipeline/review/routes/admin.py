"""Admin pages: the audit log and the accounts."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from .. import auth
from ..web import admin_user, get_db, templates

router = APIRouter()


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: auth.User = Depends(admin_user), db=Depends(get_db)):
    rows = list(
        db.query(
            "SELECT at, username, action, object_type, object_id, result, detail FROM audit_log "
            "ORDER BY id DESC LIMIT 500"
        )
    )
    users = list(db.query("SELECT username, role, created_at, active FROM users ORDER BY username"))
    return templates.TemplateResponse(request, "admin.html", {"user": user, "rows": rows, "users": users})
