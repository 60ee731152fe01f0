import pytest
from argon2 import PasswordHasher

from pipeline.review import auth
from pipeline.store import open_db


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    """argon2 at the console's cost takes about 0.25 s of CPU a hash; that cost is what makes a
    stolen database slow to crack, not what the tests check (who may log in, and when), and
    the tests hash and log in hundreds of times. ``real_password_hashing`` restores it."""
    real = auth._hasher, auth._DUMMY_HASH
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    auth._DUMMY_HASH = auth._hasher.hash("callqa-no-such-user")
    yield
    auth._hasher, auth._DUMMY_HASH = real


@pytest.fixture
def real_password_hashing(monkeypatch):
    """The console's own argon2 cost, for tests where the time a login takes matters (races)."""
    hasher = PasswordHasher()
    monkeypatch.setattr(auth, "_hasher", hasher)
    monkeypatch.setattr(auth, "_DUMMY_HASH", hasher.hash("callqa-no-such-user"))


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "qa.db")
