"""Accounts: login with NIP, logout, password change, session tokens, access decorators."""

from flask import Flask, redirect, request, url_for
from flask_login import current_user

from ..extensions import login_manager
from .service import load_user
from .views import bp

# Pages a user who must still choose a password may open.
_OPEN_WITH_INITIAL_PASSWORD = {"auth.password", "auth.logout", "static"}


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.register_blueprint(bp)

    @app.before_request
    def require_own_password():
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _OPEN_WITH_INITIAL_PASSWORD
        ):
            return redirect(url_for("auth.password", next=request.full_path if request.method == "GET" else None))
        return None
