"""The reviewer console: a FastAPI app over one callqa database.

Pages (HTML, Chinese) and a small JSON API, one router per area in ``routes/``. Every page but
the login needs a session (pages redirect to /login, the API and the audio answer 401); admin
pages answer reviewers 403. Every POST carries the session's CSRF token or is refused with 403.
Personal data is masked unless an admin unmasks one call, which the audit log records. Input
that breaks a form's or a query's types answers 400; no error page shows server internals.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from pipeline.review import auth
from pipeline.review.routes import ROUTERS
from pipeline.review.web import HERE, AppellantHome, LoginRequired, templates
from pipeline.store import open_db, require_writable

# The cookie's own lifetime; the session behind it ends at auth.SESSION_LIFETIME after login.
COOKIE_SECONDS = int(auth.SESSION_LIFETIME.total_seconds())
# Paths that answer 401 rather than redirecting to the login page.
NON_PAGE_PREFIXES = ("/api/", "/call/audio")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; media-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
log = logging.getLogger(__name__)


def create_app(db_path: str | Path, secret: str | None = None, https: bool = False) -> FastAPI:
    """The console over ``db_path``. ``https``: the cookie is sent over HTTPS only (``Secure``),
    for a console served through TLS. Raises ``StoreError`` for a database it cannot write."""
    db_path = Path(db_path).resolve()
    db = open_db(db_path)  # create the schema before the first request
    try:
        require_writable(db)  # reviewers write verdicts and every request writes the audit log
    finally:
        db.close()
    app = FastAPI(title="callqa 质检复核台", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db_path = db_path
    app.state.audio_cache = db_path.with_name(db_path.name + ".audio-cache")
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or auth.session_secret(db_path),
        session_cookie="callqa_session",
        max_age=COOKIE_SECONDS,
        same_site="strict",
        https_only=https,
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

    @app.exception_handler(AppellantHome)
    async def appellant_home(request: Request, exc: AppellantHome):
        return RedirectResponse("/appeals", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_input(request: Request, exc: RequestValidationError):
        fields = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        return _error(request, 400, f"请求参数无效：{'、'.join(fields) or '格式错误'}")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("%s %s", request.method, request.url.path)  # details in the log, not the page
        return _error(request, 500, "服务器内部错误，已记录，请稍后重试或联系管理员")

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app


def _error(request: Request, status: int, message: str):
    if request.url.path.startswith(NON_PAGE_PREFIXES):
        return JSONResponse({"detail": message}, status_code=status)
    return templates.TemplateResponse(request, "error.html", {"message": message, "status": status}, status_code=status)
