"""The reviewer console: a FastAPI app over one callqa database.

Pages (HTML, Chinese) and a small JSON API. Every page but the login needs a session
(pages redirect to /login, the API and the audio answer 401); admin pages answer reviewers
403. Every POST carries the session's CSRF token or is refused with 403. Personal data is
masked unless an admin unmasks one call, which the audit log records.
"""

from __future__ import annotations

import functools
import sqlite3
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlencode

import sqlite_utils
from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ..store import open_db
from . import audit, auth, export, media, queries
from ..present import labels
from .masking import default_masker
from .transcript import transcript_lines

HERE = Path(__file__).resolve().parent
SESSION_HOURS = 12
# Paths that answer 401 rather than redirecting to the login page.
NON_PAGE_PREFIXES = ("/api/", "/call/audio")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; media-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class LoginRequired(Exception):
    pass


def create_app(db_path: str | Path, secret: str | None = None) -> FastAPI:
    db_path = Path(db_path).resolve()
    open_db(db_path).conn.close()  # create the schema before the first request
    app = FastAPI(title="callqa 质检复核台", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db_path = db_path
    app.state.audio_cache = db_path.with_name(db_path.name + ".audio-cache")
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or auth.session_secret(db_path),
        session_cookie="callqa_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if request.url.path.startswith(NON_PAGE_PREFIXES) or request.method != "GET":
            return JSONResponse({"detail": "请先登录"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(NON_PAGE_PREFIXES):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request, "error.html", {"message": exc.detail, "status": exc.status_code}, status_code=exc.status_code
        )

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _add_routes(app)
    return app


# --- dependencies ---------------------------------------------------------------------

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(labels=labels, csrf_token=lambda request: auth.csrf_token(request.session))
templates.env.filters["seconds"] = lambda s: "" if s is None else f"{int(s // 60)}:{s % 60:04.1f}"
templates.env.filters["when"] = labels.as_recorded
templates.env.filters["local"] = labels.local_time


def get_db(request: Request) -> Iterator[sqlite_utils.Database]:
    # FastAPI may run the dependency and the endpoint on different threads of its pool.
    conn = sqlite3.connect(request.app.state.db_path, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    try:
        yield sqlite_utils.Database(conn)
    finally:
        conn.close()


def current_user(request: Request, db: sqlite_utils.Database = Depends(get_db)) -> auth.User:
    user = auth.load_user(db, request.session.get("user"))
    if user is None:
        raise LoginRequired()
    return user


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
    if not auth.csrf_valid(request.session, submitted):
        raise HTTPException(status_code=403, detail="表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试")


def _audited_review(
    db, user: auth.User, action: tuple[str, str, Any], record: Callable[[], int], refusal: str, what: str
) -> None:
    """Run ``record`` (one of the queries.record_* writes) and log it in the audit log as
    ``action`` (action, object type, object id); a refused review is logged and answered 400."""
    try:
        review_id = record()
    except queries.ReviewError as exc:
        audit.record(db, user.username, *action, result="failed", detail=str(exc))
        raise HTTPException(status_code=400, detail=f"{refusal}：{exc}") from exc
    audit.record(db, user.username, *action, detail=f"{what} (review {review_id})")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: ``//host`` or a full URL would be an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _call_url(call_id: str, filters: queries.QueueFilters, position: int | None) -> str:
    """A call page that remembers the queue it was opened from (for next / previous)."""
    params = {"id": call_id, **filters.to_params()}
    if position is not None:
        params["pos"] = str(position)
    return "/call?" + urlencode(params)


def _position(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- routes ---------------------------------------------------------------------------


def _add_routes(app: FastAPI) -> None:
    csrf = [Depends(check_csrf)]

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/"):
        return templates.TemplateResponse(request, "login.html", {"next": _safe_next(next), "error": None})

    @app.post("/login", response_class=HTMLResponse, dependencies=csrf)
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        next: str = Form("/"),
        db: sqlite_utils.Database = Depends(get_db),
    ):
        username = username.strip()
        if auth.locked_out(db, username):
            audit.record(db, username, "login", "user", username, result="denied", detail="too many failed logins")
            context = {"next": _safe_next(next), "error": "登录失败次数过多，请 15 分钟后再试"}
            return templates.TemplateResponse(request, "login.html", context, status_code=429)
        user = auth.authenticate(db, username, password)
        if user is None:
            audit.record(db, username or None, "login_failed", "user", username, result="failed")
            context = {"next": _safe_next(next), "error": "用户名或密码错误"}
            return templates.TemplateResponse(request, "login.html", context, status_code=401)
        request.session.clear()  # a fresh session (and CSRF token) for the signed-in user
        request.session["user"] = user.username
        audit.record(db, user.username, "login", "user", user.username)
        return RedirectResponse(_safe_next(next), status_code=303)

    @app.post("/logout", dependencies=csrf)
    def logout(request: Request, db: sqlite_utils.Database = Depends(get_db)):
        audit.record(db, request.session.get("user"), "logout", "user", request.session.get("user"))
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/", response_class=HTMLResponse)
    def queue(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
        filters = queries.QueueFilters.from_params(request.query_params)
        page = queries.queue_page(db, filters)
        context = {
            "user": user,
            "page": page,
            "filters": filters,
            "agencies": queries.agencies(db),
            "samples": queries.samples(db),
            "call_url": lambda call_id, pos: _call_url(call_id, filters, pos),
            "page_url": lambda n: "/?" + urlencode(filters.to_params(page=n)),
            "filter_url": lambda **changes: "/?" + urlencode(filters.to_params(page=1, **changes)),
            "export_url": lambda fmt: (
                f"/export.{fmt}?" + urlencode({"status": filters.status, "category": filters.category})
            ),
        }
        return templates.TemplateResponse(request, "queue.html", context)

    @app.get("/api/queue")
    def queue_json(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
        filters = queries.QueueFilters.from_params(request.query_params)
        page = queries.queue_page(db, filters)
        return {
            "total": page.total,
            "page": filters.page,
            "pages": page.pages,
            "category_counts": page.category_counts,
            "calls": [asdict(r) for r in page.rows],
        }

    @app.get("/call", response_class=HTMLResponse)
    def call_page(
        request: Request, id: str, pos: str = "", user: auth.User = Depends(current_user), db=Depends(get_db)
    ):
        try:
            call = queries.call_view(db, id)
        except KeyError:
            audit.record(db, user.username, "view_call", "call", id, result="failed", detail="no such call")
            raise HTTPException(status_code=404, detail=f"没有这通电话：{id}") from None
        unmasked = user.is_admin and request.session.get("unmasked") == id
        audit.record(db, user.username, "view_call", "call", id, detail="unmasked" if unmasked else None)
        masker = None if unmasked else default_masker()
        filters = queries.QueueFilters.from_params(request.query_params)
        position = _position(pos)
        previous = following = None
        if position is not None:
            previous, following = queries.neighbours(db, filters, id, position)
        audio = media.source_file(call.source_path, request.app.state.db_path)
        context = {
            "user": user,
            "call": call,
            "lines": transcript_lines(call, masker),
            "mask": masker.mask if masker else (lambda text: text),
            "unmasked": unmasked,
            "has_audio": audio is not None,
            "queue_url": "/?" + urlencode(filters.to_params()),
            "previous_url": previous and _call_url(previous[0], filters, previous[1]),
            "next_url": following and _call_url(following[0], filters, following[1]),
            "here_url": _call_url(id, filters, position),
        }
        return templates.TemplateResponse(request, "call.html", context)

    @app.get("/call/audio")
    def call_audio(request: Request, id: str, user: auth.User = Depends(current_user), db=Depends(get_db)):
        row = db.execute("SELECT source_path, sha256 FROM calls WHERE id = ?", [id]).fetchone()
        path = row and media.source_file(row[0], request.app.state.db_path)
        if not path:
            raise HTTPException(status_code=404, detail="没有这通电话的录音文件")
        try:
            playable = media.playable_file(path, request.app.state.audio_cache, row[1])
        except media.AudioError as exc:
            raise HTTPException(status_code=500, detail=f"录音无法转换：{exc}") from exc
        # FileResponse answers Range requests itself (206, Accept-Ranges, Content-Range).
        return FileResponse(playable, media_type=media.media_type(playable))

    @app.post("/findings/{finding_id}/review", dependencies=csrf)
    def review_finding(
        request: Request,
        finding_id: int,
        verdict: str = Form(...),
        comment: str = Form(""),
        back: str = Form("/"),
        user: auth.User = Depends(current_user),
        db=Depends(get_db),
    ):
        record = functools.partial(queries.record_verdict, db, finding_id, verdict, user.username, comment)
        _audited_review(db, user, ("verdict", "finding", finding_id), record, "无法保存结论", verdict)
        return RedirectResponse(_safe_next(back), status_code=303)

    @app.post("/call/missed", dependencies=csrf)
    def add_missed(
        request: Request,
        call_id: str = Form(...),
        category: str = Form(...),
        start: float = Form(...),
        end: float = Form(...),
        comment: str = Form(""),
        back: str = Form("/"),
        user: auth.User = Depends(current_user),
        db=Depends(get_db),
    ):
        record = functools.partial(queries.record_missed, db, call_id, category, start, end, user.username, comment)
        _audited_review(db, user, ("missed", "call", call_id), record, "无法添加漏检", category)
        return RedirectResponse(_safe_next(back), status_code=303)

    @app.post("/call/checked", dependencies=csrf)
    def mark_checked(
        request: Request,
        call_id: str = Form(...),
        comment: str = Form(""),
        back: str = Form("/"),
        user: auth.User = Depends(current_user),
        db=Depends(get_db),
    ):
        record = functools.partial(queries.record_checked, db, call_id, user.username, comment)
        _audited_review(db, user, ("checked", "call", call_id), record, "无法保存整通复核", "whole call")
        return RedirectResponse(_safe_next(back), status_code=303)

    @app.post("/call/unmask", dependencies=csrf)
    def unmask(
        request: Request,
        call_id: str = Form(...),
        back: str = Form("/"),
        user: auth.User = Depends(current_user),
        db=Depends(get_db),
    ):
        if not user.is_admin:
            audit.record(db, user.username, "unmask", "call", call_id, result="denied")
            raise HTTPException(status_code=403, detail="只有管理员可以查看未遮盖的个人信息")
        request.session["unmasked"] = call_id  # one call at a time
        audit.record(db, user.username, "unmask", "call", call_id)
        return RedirectResponse(_safe_next(back), status_code=303)

    @app.post("/call/mask", dependencies=csrf)
    def mask_again(request: Request, back: str = Form("/"), user: auth.User = Depends(current_user)):
        request.session.pop("unmasked", None)
        return RedirectResponse(_safe_next(back), status_code=303)

    @app.get("/export.{fmt}")
    def export_file(
        request: Request,
        fmt: str,
        status: str = "all",
        category: str = "",
        user: auth.User = Depends(current_user),
        db=Depends(get_db),
    ):
        if f".{fmt}" not in export.FORMATS:
            raise HTTPException(status_code=404, detail="只能导出 xlsx 或 csv")
        try:
            rows = queries.export_rows(db, status=status, category=category)
        except queries.ReviewError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
        tmp.close()
        export.write(rows, tmp.name)
        detail = f"{fmt}, {len(rows)} rows, status={status}, category={category or 'all'}"
        audit.record(db, user.username, "export", "findings", None, detail=detail)
        return FileResponse(
            tmp.name,
            filename=f"callqa-findings.{fmt}",
            background=BackgroundTask(Path(tmp.name).unlink),
        )

    @app.get("/admin/audit", response_class=HTMLResponse)
    def audit_page(request: Request, user: auth.User = Depends(admin_user), db=Depends(get_db)):
        rows = list(
            db.query(
                "SELECT at, username, action, object_type, object_id, result, detail FROM audit_log "
                "ORDER BY id DESC LIMIT 500"
            )
        )
        users = list(db.query("SELECT username, role, created_at, active FROM users ORDER BY username"))
        return templates.TemplateResponse(request, "admin.html", {"user": user, "rows": rows, "users": users})
