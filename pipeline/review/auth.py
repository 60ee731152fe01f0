"""Accounts, passwords, login limits, server-side sessions, the cookie secret and CSRF tokens.

Passwords are stored as argon2 hashes (argon2-cffi). A login is a row in ``sessions``: the
cookie carries a random token, the table its hash, and the session ends at a fixed time
(``SESSION_LIFETIME`` after login), at logout, or when the account's password is reset, so a
copied cookie stops working then. The cookie itself is signed with a secret read from
``CALLQA_SECRET`` or from a file kept beside the database, created with owner-only
permissions the first time the console starts.

Failed logins are limited per user name and per client address; each attempt is counted
before its password is checked, in one write transaction, so parallel guesses cannot slip
past the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.errors import CallqaError
from pipeline.store import now_iso, writing

# appellant: an agent's or an agency's account, which may only appeal confirmed findings on
# its agency's calls (申诉); it sees nothing else of the console.
ROLES = ("reviewer", "admin", "appellant")
MIN_PASSWORD_LENGTH = 8
# After this many failed logins for one user name, or from one address, within the window,
# refuse further attempts until the window has passed.
MAX_FAILED_LOGINS = 5
MAX_FAILED_LOGINS_PER_ADDRESS = 20
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("callqa-no-such-user")


class UserError(CallqaError, ValueError):
    pass


@dataclass(frozen=True)
class User:
    username: str
    role: str
    agency: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_appellant(self) -> bool:
        return self.role == "appellant"


def add_user(db: sqlite_utils.Database, username: str, password: str, role: str, agency: str | None = None) -> User:
    """Create an account, or reset the password and role of an existing one (which ends every
    session it has open). An appellant account needs its ``agency``."""
    username = username.strip()
    agency = (agency or "").strip() or None
    if not username:
        raise UserError("username must not be empty")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if role == "appellant" and agency is None:
        raise UserError("an appellant account needs the agency whose calls it may appeal")
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
                "agency": agency if role == "appellant" else None,
            },
            pk="username",
        )
        db.execute(
            "UPDATE sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", [now_iso(), username]
        )
    return User(username, role, agency if role == "appellant" else None)


def set_active(db: sqlite_utils.Database, username: str, active: bool) -> None:
    """Switch an account off (its sessions end at once) or back on."""
    with writing(db):
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone() is None:
            raise UserError(f"no user {username!r}")
        db.execute("UPDATE users SET active = ? WHERE username = ?", [int(active), username])
        if not active:
            db.execute(
                "UPDATE sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", [now_iso(), username]
            )


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> User | None:
    row = db.execute(
        "SELECT password_hash, role, agency FROM users WHERE username = ? AND active = 1", [username]
    ).fetchone()
    try:
        _hasher.verify(row[0] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(row[0]):
        with writing(db):
            db["users"].update(username, {"password_hash": _hasher.hash(password)})
    return User(username, row[1], row[2])


class LoginRefused(Exception):
    """Too many failed logins recently; ``str`` says for the user name or the address."""


def begin_login(db: sqlite_utils.Database, username: str, address: str | None) -> int:
    """Count an attempt before its password is checked; returns its id for ``finish_login``.

    Raises ``LoginRefused`` when the user name or the address has used up its failures in
    the window (attempts still being checked count as failures).
    """
    since = _iso(datetime.now(timezone.utc) - FAILED_LOGIN_WINDOW)
    failing = "at >= ? AND (outcome IS NULL OR outcome = 'failed')"
    with writing(db):
        by_user = db.execute(
            f"SELECT COUNT(*) FROM login_attempts WHERE username = ? AND {failing}", [username, since]
        ).fetchone()[0]
        if by_user >= MAX_FAILED_LOGINS:
            raise LoginRefused("too many failed logins for this user name")
        by_address = db.execute(
            f"SELECT COUNT(*) FROM login_attempts WHERE address = ? AND {failing}", [address, since]
        ).fetchone()[0]
        if address is not None and by_address >= MAX_FAILED_LOGINS_PER_ADDRESS:
            raise LoginRefused("too many failed logins from this address")
        cursor = db.execute(
            "INSERT INTO login_attempts (at, username, address) VALUES (?, ?, ?)", [now_iso(), username, address]
        )
        return cursor.lastrowid


def finish_login(db: sqlite_utils.Database, attempt_id: int, ok: bool) -> None:
    with writing(db):
        db.execute("UPDATE login_attempts SET outcome = ? WHERE id = ?", ["ok" if ok else "failed", attempt_id])


def start_session(db: sqlite_utils.Database, user: User, address: str | None) -> str:
    """A new session for ``user``; returns the token the cookie carries."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with writing(db):
        db["sessions"].insert(
            {
                "token_hash": _token_hash(token),
                "username": user.username,
                "created_at": _iso(now),
                "expires_at": _iso(now + SESSION_LIFETIME),
                "address": address,
            }
        )
    return token


def end_session(db: sqlite_utils.Database, token: str | None) -> None:
    if token:
        with writing(db):
            db.execute(
                "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                [now_iso(), _token_hash(token)],
            )


def session_user(db: sqlite_utils.Database, token: str | None) -> User | None:
    """The active user of a live session: not revoked, not expired, the account still active."""
    if not token or not isinstance(token, str):
        return None
    row = db.execute(
        "SELECT u.username, u.role, u.agency FROM sessions s JOIN users u ON u.username = s.username "
        "WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.active = 1",
        [_token_hash(token), now_iso()],
    ).fetchone()
    return User(*row) if row else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def load_user(db: sqlite_utils.Database, username: str | None) -> User | None:
    if not username:
        return None
    row = db.execute("SELECT role, agency FROM users WHERE username = ? AND active = 1", [username]).fetchone()
    return User(username, *row) if row else None


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
