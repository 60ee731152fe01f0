"""What every console route shares: templates, the database and user dependencies, CSRF,
the masker for the current user, and small URL helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlite_utils
from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from pipeline.present import labels
from pipeline.present.masking import Masker, default_masker
from pipeline.review import actions, audit, auth, queries
from pipeline.review.refusals import chinese
from pipeline.review.transcript import excerpt
from pipeline.store import connect

HERE = Path(__file__).resolve().parent
# Longest accepted form and query values (characters); longer ones are refused with 400.
MAX_ID = 200
MAX_TEXT = 2000


class LoginRequired(Exception):
    pass


def _mask(text: str | None) -> str | None:
    return default_masker().mask(text)


templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    labels=labels, csrf_token=lambda request: auth.csrf_token(request.session), excerpt=excerpt, mask_text=_mask
)
templates.env.filters["seconds"] = lambda s: "" if s is None else f"{int(s // 60)}:{s % 60:04.1f}"
templates.env.filters["when"] = labels.as_recorded
templates.env.filters["local"] = labels.local_time
templates.env.filters["masked"] = _mask


def get_db(request: Request) -> Iterator[sqlite_utils.Database]:
    db = connect(request.app.state.db_path)
    try:
        yield db
    finally:
        db.close()


# The only pages an appellant account (申诉账号) may open.
APPELLANT_PATHS = ("/appeals", "/logout")


def current_user(request: Request, db: sqlite_utils.Database = Depends(get_db)) -> auth.User:
    user = auth.session_user(db, request.session.get("sid"))
    if user is None:
        raise LoginRequired()
    if user.is_appellant and not request.url.path.startswith(APPELLANT_PATHS):
        if request.url.path == "/":
            raise AppellantHome()
        raise HTTPException(status_code=403, detail="申诉账号只能查看和提交申诉")
    return user


class AppellantHome(Exception):
    """An appellant opening the console's home goes to its appeals instead."""


def admin_user(
    request: Request, user: auth.User = Depends(current_user), db: sqlite_utils.Database = Depends(get_db)
) -> auth.User:
    if not user.is_admin:
        audit.record(db, user.username, "admin_page", "path", request.url.path, result="denied")
        raise HTTPException(status_code=403, detail="需要管理员权限")
    return user


async def check_csrf(request: Request) -> None:
    form = await request.form()
    submitted = form.get("csrf_token") or request.headers.get("x-csrf-token")
    if not isinstance(submitted, str) or not auth.csrf_valid(request.session, submitted):
        raise HTTPException(status_code=403, detail="表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试")


CSRF = [Depends(check_csrf)]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def may_unmask(user: auth.User) -> bool:
    """Admins may see personal data unmasked (one call at a time, audited); reviewers never."""
    return user.is_admin


def masker_for(request: Request, user: auth.User, call_id: str | None = None) -> Masker | None:
    """The masker for what ``user`` sees; None when an admin has unmasked this call."""
    if call_id is not None and may_unmask(user) and request.session.get("unmasked") == call_id:
        return None
    return default_masker()


def audited_review(
    db, user: auth.User, action: tuple[str, str, Any], record: Callable[[], int], refusal: str, what: str
) -> int:
    """Run ``record`` (one of the queries.record_* writes), logged in the audit log as ``action``
    (action, object type, object id) by ``actions.audited``; returns the review's id. A refused
    review answers 400, a verdict on a stale page 409."""
    try:
        return actions.audited(
            db, user.username, action, record, lambda review_id: f"{what} (review {review_id})", "console"
        )
    except queries.VerdictConflict as exc:
        raise HTTPException(status_code=409, detail=conflict_message(exc.current)) from exc
    except queries.ReviewError as exc:
        raise HTTPException(status_code=400, detail=f"{refusal}：{chinese(exc)}") from exc


def conflict_message(current: queries.Review) -> str:
    return (
        f"您打开页面后，{current.reviewer} 已于 {labels.local_time(current.created_at)} 将此发现判为"
        f"「{labels.VERDICT_LABELS.get(current.verdict, current.verdict)}」。您的结论未保存，以免覆盖他人结论；"
        "请核对后再决定是否仍提交。"
    )


def safe_next(target: str | None) -> str:
    """Only same-site paths: ``//host`` or a full URL would be an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def call_url(call_id: str, filters: queries.QueueFilters, position: int | None, came_from: str | None = None) -> str:
    """A call page that remembers the queue it was opened from (for next / previous) and, when
    reached with "next", the call before it (``came_from``: previous goes back to it even after
    it left the queue)."""
    params = {"id": call_id, **filters.to_params()}
    if position is not None:
        params["pos"] = str(position)
    if came_from is not None:
        params["from"] = came_from
    return "/call?" + urlencode(params)


def position(value: str | None) -> int | None:
    """A queue position from the URL; anything but a plain small number is ignored."""
    return int(value) if value and re.fullmatch(r"[0-9]{1,9}", value) else None
