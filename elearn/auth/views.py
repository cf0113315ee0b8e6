"""Login, logout and password change."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from .devices import is_known_device, remember_device
from .forms import ChangePasswordForm, LoginForm
from .redirects import safe_next
from .service import InactiveAccountError, authenticate, change_password, end_all_sessions, own_account

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_limit_ip() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_IP"]


def _password_limit() -> str:
    return current_app.config["PASSWORD_RATE_LIMIT"]


def _failed(response) -> bool:
    """Only failed logins count toward the limit (a success redirects)."""
    return response.status_code != 302


def _posted_nip() -> str:
    return "".join(request.form.get("nip", "").split())


def _nip_key() -> str:
    return "nip:" + _posted_nip()


def _from_known_device() -> bool:
    """The owner's usual browser is never locked out by someone else's failures (see devices.py)."""
    return is_known_device(_posted_nip())


def _wrong_current_password(response) -> bool:
    return bool(g.get("wrong_current_password"))


def _user_key() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit_ip, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, key_func=_nip_key, methods=["POST"], deduct_when=_failed, exempt_when=_from_known_device)
def login():
    """Show the login form and log a user in with NIP and password."""
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("learn.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.nip.data, form.password.data)
        except InactiveAccountError:
            flash("Akun Anda sudah dinonaktifkan. Hubungi admin kepegawaian (BKPP) bila ini keliru.", "error")
        else:
            if user is None:
                flash("NIP atau kata sandi salah.", "error")
            else:
                login_user(user)
                if user.must_change_password:
                    flash("Selamat datang! Silakan ganti kata sandi awal Anda terlebih dahulu.", "info")
                    return remember_device(redirect(url_for("auth.password", next=next_url)), user.nip)
                return remember_device(redirect(next_url or url_for("learn.dashboard")), user.nip)
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    """Log out here and end the user's sessions on every other device."""
    end_all_sessions(own_account())
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
@limiter.limit(_password_limit, key_func=_user_key, methods=["POST"], deduct_when=_wrong_current_password)
def password():
    """Change the password; other sessions of the user end."""
    user = own_account()
    form = ChangePasswordForm(user)
    next_url = safe_next(request.values.get("next"))
    if form.validate_on_submit():
        change_password(user, form.new.data)
        login_user(user)  # this session goes on with the new session token
        flash("Kata sandi berhasil diganti. Sesi di perangkat lain telah diakhiri.", "success")
        return redirect(next_url or url_for("learn.dashboard"))
    return render_template("auth/password.html", form=form, next_url=next_url)
