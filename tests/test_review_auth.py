import os
import stat

import pytest

from pipeline.review import auth


def test_add_and_authenticate(db):
    assert not auth.has_users(db)
    auth.add_user(db, "wang", "correct horse", "reviewer")
    stored = db.execute("SELECT password_hash FROM users WHERE username = 'wang'").fetchone()[0]
    assert stored.startswith("$argon2") and "correct horse" not in stored
    assert auth.authenticate(db, "wang", "correct horse") == auth.User("wang", "reviewer")
    assert auth.has_users(db)
    assert auth.authenticate(db, "wang", "wrong horse") is None
    assert auth.authenticate(db, "nobody", "correct horse") is None


def test_add_again_resets_password_and_role(db):
    auth.add_user(db, "wang", "first-password", "reviewer")
    auth.add_user(db, "wang", "second-password", "admin")
    assert auth.authenticate(db, "wang", "first-password") is None
    assert auth.authenticate(db, "wang", "second-password").is_admin


def test_inactive_user_cannot_log_in(db):
    auth.add_user(db, "wang", "correct horse", "reviewer")
    with db.atomic():
        db.execute("UPDATE users SET active = 0")
    assert auth.authenticate(db, "wang", "correct horse") is None
    assert auth.load_user(db, "wang") is None


@pytest.mark.parametrize(
    "name, password, role, message",
    [
        ("", "long-enough", "reviewer", "username"),
        ("wang", "short", "reviewer", "at least 8"),
        ("wang", "long-enough", "root", "role must be one of"),
    ],
)
def test_bad_accounts_are_refused(db, name, password, role, message):
    with pytest.raises(auth.UserError, match=message):
        auth.add_user(db, name, password, role)


def test_secret_file_is_created_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("CALLQA_SECRET", raising=False)
    first = auth.session_secret(tmp_path / "qa.db")
    assert auth.session_secret(tmp_path / "qa.db") == first and len(first) > 40
    assert stat.S_IMODE(os.stat(tmp_path / "qa.db.secret").st_mode) == 0o600
    monkeypatch.setenv("CALLQA_SECRET", "from-env")
    assert auth.session_secret(tmp_path / "qa.db") == "from-env"


def test_csrf_tokens():
    session = {}
    token = auth.csrf_token(session)
    assert auth.csrf_token(session) == token
    assert auth.csrf_valid(session, token)
    assert not auth.csrf_valid(session, token + "x")
    assert not auth.csrf_valid(session, None)
    assert not auth.csrf_valid({}, "")
