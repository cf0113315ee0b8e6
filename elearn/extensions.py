"""Flask extensions, created unbound; create_app() binds them. Imports nothing from elearn."""

import sqlite3

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
compress = Compress()  # HTML and JSON, gzip or brotli as the browser accepts
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_settings(dbapi_connection, _record) -> None:
    """SQLite as a real database: WAL (readers never wait for the writer), a 15 s wait for
    a busy database instead of an error, and foreign keys enforced."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def refresh_statistics(*tables: str) -> None:
    """After a bulk load on PostgreSQL, give the planner the new row counts at once.

    Autovacuum would analyze the tables within a minute or two; until then the planner believes
    they are as small as before and picks nested loops that take seconds at 10,000 learners
    (measured: the course results page 200 s before ANALYZE, 0.1 s after). SQLite keeps no
    such statistics unless asked, and its plans do not depend on them here.
    """
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(text(f"ANALYZE {db.metadata.tables[table].name}"))  # nosec B608: a known table's name
    db.session.commit()
