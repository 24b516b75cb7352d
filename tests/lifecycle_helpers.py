"""Helpers for lifecycle tests: a catalog of fixture addons, a config file, the CLI."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import inspect, text

from core.catalog import Catalog
from core.cli import Context, cli
from core.db import make_engine

FIXTURES = "tests.fixture_addons"


def fixture_catalog(*names: str) -> Catalog:
    return Catalog.from_modules(["addons.contacts", *(f"{FIXTURES}.{n}" for n in names)])


def write_config(folder: Path, url: str, enabled=()) -> Path:
    path = folder / "bottega.toml"
    names = ", ".join(f'"{n}"' for n in enabled)
    path.write_text(f'# test config\n[database]\nurl = "{url}"\n\n[addons]\nenabled = [{names}]\n')
    return path


class Bottega:
    """Runs ``bottega`` commands against one config file and catalog, like a user would."""

    def __init__(self, config_path: Path, catalog: Catalog):
        self.config_path = config_path
        self.catalog = catalog

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):
        return CliRunner().invoke(
            cli, ["--config", str(self.config_path), *args], obj=Context(catalog=self.catalog), input=input,
            env=env,
        )


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {column["name"] for column in inspect(connection).get_columns(table)}
    finally:
        engine.dispose()


def query(url: str, sql: str, **params) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(url: str, sql: str, **params) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()
