"""Settings from the environment; a SQLite file in instance/ when DATABASE_URL is unset."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url(instance_path: str) -> str:
    """Return the SQLAlchemy URL: DATABASE_URL (postgres via psycopg 3) or SQLite in instance/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "elearn.sqlite")
    # Hosting panels hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str) -> dict:
    """Return the app's settings, read from environment variables."""
    secret = os.environ.get("SECRET_KEY")
    development = os.environ.get("ELEARN_ENV", "production") == "development"
    # Cookies are Secure (HTTPS only) outside development; SESSION_COOKIE_SECURE=0 overrides.
    secure = os.environ.get("SESSION_COOKIE_SECURE", "0" if development else "1") == "1"
    return {
        "DEVELOPMENT": development,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # Bodies above this are refused (413); a view marked @accepts_upload takes MAX_UPLOAD_BYTES.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_REQUEST_KB", "64")) * 1024,
        "MAX_UPLOAD_BYTES": int(os.environ.get("MAX_UPLOAD_MB", "8")) * 1024 * 1024,  # 10,000 staff rows ~ 1 MB
        "IDLE_MINUTES": int(os.environ.get("IDLE_MINUTES", "60")),
        "COURSES_DIR": os.environ.get("COURSES_DIR", str(PROJECT_ROOT / "courses")),
        # How often (seconds) a request may look for changed course files; 0 = every request.
        "CATALOG_CHECK_SECONDS": float(os.environ.get("CATALOG_CHECK_SECONDS", "5")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Failed logins allowed per NIP, and (LOGIN_RATE_LIMIT_IP) per client address.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_RATE_LIMIT_IP": os.environ.get("LOGIN_RATE_LIMIT_IP", "60 per minute"),
        # Wrong current passwords allowed on the password-change form, per account.
        "PASSWORD_RATE_LIMIT": os.environ.get("PASSWORD_RATE_LIMIT", "5 per 15 minutes"),
        # Discussion posts (new threads and replies together) allowed per account.
        "FORUM_RATE_LIMIT": os.environ.get("FORUM_RATE_LIMIT", "5 per minute;50 per day"),
        # How many reverse proxies (nginx, a load balancer) stand in front of the app: their
        # X-Forwarded-For then gives the client address the login limit counts by.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "12"))),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "JP_TARGET": int(os.environ.get("JP_TARGET", "20")),
        "CERT_ISSUER": os.environ.get("CERT_ISSUER", "BKPP Kabupaten Sleman"),
        "CERT_SIGNATORY": os.environ.get("CERT_SIGNATORY", "Kepala BKPP Kabupaten Sleman"),
        "ORGANISER": os.environ.get("ORGANISER", "BKPP Kabupaten Sleman"),
        "SETTINGS_TTL": float(os.environ.get("SETTINGS_TTL", "10")),
        # The site's public address for the links printed on certificates (QR); else the request's.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        # Responses compressed by the app (static files come precompressed from assets.py).
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_LEVEL": 6,
        "COMPRESS_MIMETYPES": ["text/html", "application/json"],
    }
