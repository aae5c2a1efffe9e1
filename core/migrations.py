"""Run the Alembic migrations from code (the CLI, `make run` and the tests use this)."""

from alembic import command
from alembic.config import Config

from core.config import ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade_database(database_url: str) -> None:
    """Bring the database's schema to the newest revision."""
    command.upgrade(alembic_config(database_url), "head")
