from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.main import create_app
from core.config import Settings
from core.database import make_engine, make_session_factory, transaction
from core.migrations import upgrade_database
from services_catalog.loader import Catalogue, load_catalogue
from services_catalog.repository import save_catalogue
from services_catalog.snapshot import CatalogueSnapshot
from tests.databases import fresh_database
from tests.staff import Desk, open_desk

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def snapshot(catalogue: Catalogue) -> CatalogueSnapshot:
    return CatalogueSnapshot(catalogue, catalogue.content_hash())


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of each kind."""
    with fresh_database(database_kind, tmp_path) as url:
        upgrade_database(url)
        yield url


@pytest.fixture(scope="session")
def loaded_database_url(
    database_kind: str, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of each kind holding the repository's catalogue."""
    with fresh_database(database_kind, tmp_path_factory.mktemp("db")) as url:
        upgrade_database(url)
        with transaction(url) as session:
            save_catalogue(session, catalogue)
        yield url


@pytest.fixture
def session(empty_database_url: str) -> Iterator[Session]:
    engine = make_engine(empty_database_url)
    with make_session_factory(engine)() as db_session:
        yield db_session
    engine.dispose()


@pytest.fixture(scope="session")
def client(loaded_database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=loaded_database_url))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def desk(
    database_kind: str, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    """The API with staff, clients and a catalogue, on each kind of database; one per module."""
    with open_desk(database_kind, catalogue, tmp_path_factory.mktemp("desk")) as opened:
        yield opened
