"""E-Learning ASN Sleman: create_app() builds the Flask application."""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, g, jsonify, render_template, request, session
from flask.globals import request_ctx
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, auth, cli, connections, library, security, urls
from .clock import WIB
from .config import PROJECT_ROOT, from_environment
from .extensions import compress, csrf, db, limiter, login_manager, migrate
from .formatting import angka, skor, tanggal
from .navigation import menu_links
from .templating import App

UTC = ZoneInfo("UTC")


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment, overridden by ``config`` (tests)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = App(
        __name__,
        instance_path=instance_path or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)

    security.init_app(app)
    connections.configure(app)
    db.init_app(app)
    connections.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _check_limits_only_where_set(app)
    library.init_app(app)
    auth.init_app(app)

    from .actionplan.views import bp as actionplan_bp
    from .admin.views import bp as admin_bp
    from .certificates.views import bp as certificates_bp
    from .evaluation.views import bp as evaluation_bp
    from .forum.views import bp as forum_bp
    from .learn.views import bp as learn_bp
    from .quiz.views import bp as quiz_bp
    from .reports.views import bp as reports_bp
    from .trainers.views import bp as trainers_bp

    app.register_blueprint(learn_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(trainers_bp)
    app.register_blueprint(forum_bp)
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(actionplan_bp)
    cli.init_app(app)
    assets.init_app(app)
    compress.init_app(app)
    _register_errors(app)
    _register_template_helpers(app)
    urls.init_app(app)
    return app


def _check_limits_only_where_set(app: Flask) -> None:
    """Take out Flask-Limiter's check before every request: this app sets no application-wide
    or blueprint limits (``default_limits=[]``), and the views that carry a limit (login,
    password change, discussion posts, certificates) check it in their own decorator. Left in, the hook
    resolved an empty set of limits on every page and every static file.

    Its hooks after the request (the limit's headers, a failed login's deduction) and at its end
    then run only where a view checked a limit: elsewhere they built the limiter's state for
    the request only to find nothing in it.
    """
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return  # limits on every route were set after all: the hooks stay
    extension = type(limiter)
    hooks = app.before_request_funcs.get(None, [])
    hooks[:] = [hook for hook in hooks if _function_of(hook) is not extension._check_request_limit]
    wrapped = (extension._Limiter__inject_headers, extension._Limiter__release_context)
    for hooks in (app.after_request_funcs.get(None, []), app.teardown_request_funcs.get(None, [])):
        hooks[:] = [_where_a_limit_was_checked(hook) if _function_of(hook) in wrapped else hook for hook in hooks]


def _function_of(hook):
    """The function behind a hook Flask-Limiter registered (a bound method or a partial)."""
    return getattr(hook, "__func__", None) or getattr(hook, "func", None)


def _where_a_limit_was_checked(hook):
    """Run Flask-Limiter's ``hook`` in a request whose view checked a limit (it holds the
    limiter's state then); elsewhere pass its argument through (a response, or an error)."""

    def run(value):
        if hasattr(request_ctx._get_current_object(), "_limiter_request_context"):
            return hook(value)
        return value

    return run


def _instance_secret(instance_path: str) -> str:
    """Return a secret key kept in instance/, made once, so sessions survive restarts."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    with open(path) as handle:
        return handle.read().strip()


UNAVAILABLE = (
    "Sistem sedang tidak dapat membaca atau menyimpan data (basis data sedang dipulihkan). "
    "Jawaban yang sudah tersimpan tetap aman. Coba lagi beberapa saat lagi."
)

ERRORS = {
    400: ("Permintaan tidak valid", "Permintaan Anda tidak dapat diproses. Muat ulang halaman lalu coba lagi."),
    403: ("Akses ditolak", "Anda tidak memiliki hak untuk membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Halaman yang Anda cari tidak ada atau sudah dipindahkan."),
    405: ("Metode tidak diizinkan", "Halaman ini tidak dapat dibuka dengan cara tersebut."),
    413: (
        "Kiriman terlalu besar",
        "Data yang Anda kirim melebihi batas ukuran. Kurangi isinya, lalu kirim lagi.",
    ),
    429: (
        "Terlalu banyak percobaan",
        "Anda mencoba terlalu sering dalam waktu singkat. Tunggu satu menit, lalu coba lagi.",
    ),
    500: (
        "Terjadi kesalahan pada server",
        "Maaf, terjadi kesalahan di pihak kami. Data Anda tetap aman. Silakan coba lagi sebentar lagi.",
    ),
}


def _register_errors(app: Flask) -> None:
    from .quiz.recovery import is_quiz_post, keep_posted_answers

    def render_error(code: int, message: str | None = None):
        if code == 500:
            db.session.rollback()  # the error page reads its user (through the session, on a POST)
        title, default = ERRORS[code]
        return render_template("errors/error.html", code=code, title=title, message=message or default), code

    for code in ERRORS:
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        """The database is down, restarting, full or read-only: say so, lose nothing already saved."""
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection may be gone; the page must still answer
            db.session.remove()
        app.logger.error("database unavailable: %s", error)
        message = UNAVAILABLE
        if request.endpoint == "quiz.autosave" or request.accept_mimetypes.best == "application/json":
            return jsonify(error=message), 503
        # A page of its own, as nobody: the usual frame would look up the user in that same database.
        g._login_user = AnonymousUserMixin()
        return render_template("errors/unavailable.html", message=message), 503

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if is_quiz_post():
            if "_user_id" not in session:  # an expired session: keep the answers, then log in again
                return keep_posted_answers()
            if request.endpoint == "quiz.autosave":  # the page's token is stale, the login is not
                message = (
                    "Token keamanan halaman ini sudah tidak berlaku. Muat ulang halaman; jawaban tersimpan tetap ada."
                )
                return jsonify(error=message, reload=True), 400
        return render_error(
            400,
            "Formulir ini sudah kedaluwarsa atau tidak sah (token keamanan tidak cocok). "
            "Muat ulang halaman, lalu kirim lagi.",
        )


def _register_template_helpers(app: Flask) -> None:
    @app.template_filter("wib")
    def wib(value: datetime | None, with_time: bool = True) -> str:
        """Show a stored UTC time in Asia/Jakarta time, in Indonesian."""
        if value is None:
            return "-"
        local = value.replace(tzinfo=UTC).astimezone(WIB)
        text = tanggal(local.date())
        return f"{text}, {local:%H.%M} WIB" if with_time else text

    app.add_template_filter(angka)
    app.add_template_filter(skor)
    app.add_template_filter(tanggal)

    # Flask-WTF's token, signed once per session: in place of its own global and context entry
    app.jinja_env.globals["csrf_token"] = security.csrf_token

    @app.context_processor
    def globals_():
        return {"menu_links": menu_links, "csrf_token": security.csrf_token}
