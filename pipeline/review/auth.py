"""Accounts, passwords, the session secret and CSRF tokens.

Passwords are stored as argon2 hashes (argon2-cffi). The session cookie is signed with a
secret read from ``CALLQA_SECRET`` or from a file kept beside the database, created with
owner-only permissions the first time the console starts.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..store import now_iso, writing
from ..errors import CallqaError

ROLES = ("reviewer", "admin")
MIN_PASSWORD_LENGTH = 8
# After this many failed logins for one username within the window, refuse until it passes.
MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("callqa-no-such-user")


class UserError(CallqaError, ValueError):
    pass


@dataclass(frozen=True)
class User:
    username: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def add_user(db: sqlite_utils.Database, username: str, password: str, role: str) -> User:
    """Create an account, or reset the password and role of an existing one."""
    username = username.strip()
    if not username:
        raise UserError("username must not be empty")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    with writing(db):
        db["users"].upsert(
            {
                "username": username,
                "password_hash": _hasher.hash(password),
                "role": role,
                "created_at": now_iso(),
                "active": 1,
            },
            pk="username",
        )
    return User(username, role)


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> User | None:
    row = db.execute("SELECT password_hash, role FROM users WHERE username = ? AND active = 1", [username]).fetchone()
    try:
        _hasher.verify(row[0] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(row[0]):
        with writing(db):
            db["users"].update(username, {"password_hash": _hasher.hash(password)})
    return User(username, row[1])


def locked_out(db: sqlite_utils.Database, username: str) -> bool:
    """Too many recent failed logins for ``username`` (counted from the audit log)."""
    since = (datetime.now(timezone.utc) - FAILED_LOGIN_WINDOW).isoformat(timespec="seconds")
    failures = db.execute(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND object_id = ? AND at >= ?",
        [username, since],
    ).fetchone()[0]
    return failures >= MAX_FAILED_LOGINS


def load_user(db: sqlite_utils.Database, username: str | None) -> User | None:
    if not username:
        return None
    row = db.execute("SELECT role FROM users WHERE username = ? AND active = 1", [username]).fetchone()
    return User(username, row[0]) if row else None


def has_users(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM users WHERE active = 1 LIMIT 1").fetchone() is not None


def session_secret(db_path: str | Path) -> str:
    """``CALLQA_SECRET``, else the secret file beside the database (created on first use)."""
    if os.environ.get("CALLQA_SECRET"):
        return os.environ["CALLQA_SECRET"]
    path = Path(db_path).with_name(Path(db_path).name + ".secret")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def csrf_token(session: dict) -> str:
    """The session's CSRF token, made when first needed; every form carries it."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_valid(session: dict, submitted: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted)
