"""Databases of their own for the load and fault tests (never the suite's shared one)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from elearn import create_app
from elearn.extensions import db
from elearn.models import Unit, User
from tests.factories import PASSWORD
from tests.load.harness import app_env, flask

PG_ADMIN = os.environ.get("LOAD_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/load/" in str(item.fspath):
            item.add_marker(pytest.mark.load)


@pytest.fixture(params=["sqlite", "postgresql"])
def load_database(request, tmp_path):
    """Yield (kind, URL) of a new, migrated database; a PostgreSQL one is dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'beban.sqlite'}"
        flask(app_env(url, tmp_path), "db", "upgrade")
        yield "sqlite", url
        return
    name = f"elearn_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    try:
        flask(app_env(url, tmp_path), "db", "upgrade")
        yield "postgresql", url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_learners(database_url: str, instance, count: int) -> list[str]:
    """Create ``count`` learners who all use PASSWORD (hashed once: the logins still check it)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "INSTANCE_PATH": str(instance)})
    password_hash = generate_password_hash(PASSWORD)
    nips = [f"19900101201501{1 + i % 2}{i:03d}" for i in range(count)]
    with app.app_context():
        unit = Unit(name="Dinas Uji Beban")
        db.session.add(unit)
        db.session.flush()
        db.session.add_all(
            User(
                nip=nip,
                name=f"Peserta {i}",
                unit_id=unit.id,
                role="asn",
                password_hash=password_hash,
                must_change_password=False,
            )
            for i, nip in enumerate(nips)
        )
        db.session.commit()
        db.engine.dispose()
    return nips
