import pytest

from pipeline.store import open_db


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "qa.db")
