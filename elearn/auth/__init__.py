"""Accounts: login with NIP, logout, password change, session tokens, access decorators."""

from flask import Flask, flash, redirect, request, url_for
from flask_login import current_user

from ..extensions import login_manager
from ..quiz.recovery import is_quiz_post, keep_posted_answers
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
    login_manager.unauthorized_handler(_unauthorized)
    app.register_blueprint(bp)

    @app.before_request
    def require_own_password():
        if request.endpoint == "static":  # never load the user for a stylesheet
            return None
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _OPEN_WITH_INITIAL_PASSWORD
        ):
            return redirect(url_for("auth.password", next=request.full_path if request.method == "GET" else None))
        return None


def _unauthorized():
    """Send a logged-out visitor to the login page, keeping quiz answers they were sending."""
    if is_quiz_post():
        return keep_posted_answers()
    flash(login_manager.login_message, login_manager.login_message_category)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))
