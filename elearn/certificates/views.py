"""Certificate pages: the printable certificate and its PDF, public verification, revocation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..admin import audit
from ..auth.access import role_required
from ..extensions import db, limiter
from ..models import Certificate
from ..reports.scope import scope_of
from ..settings import certificate_signatory
from . import service
from .pdf import certificate_pdf, qr_code

bp = Blueprint("certificates", __name__)


class RevokeForm(FlaskForm):
    reason = StringField(
        "Alasan pencabutan",
        validators=[DataRequired("Alasan wajib diisi."), Length(min=5, max=500, message="Alasan 5-500 karakter.")],
    )


def verify_url(certificate: Certificate) -> str:
    """The public link printed on the certificate and in its QR code."""
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return base + url_for("certificates.verify_link", code=certificate.code)


def _viewable(code: str) -> Certificate:
    """The certificate, if the current user is its owner, an admin, or a supervisor of the owner; else 404."""
    certificate = service.by_code(code)
    if certificate is None:
        abort(404)
    if certificate.user_id == current_user.id:
        return certificate
    scope = scope_of(current_user)
    if scope is None or not scope.holds_person(certificate.user_id):
        abort(404)
    return certificate


@bp.route("/sertifikat/<code>")
@login_required
def show(code: str):
    """Show a certificate, printable on one A4 landscape page."""
    certificate = _viewable(code)
    link = verify_url(certificate)
    return render_template(
        "certificates/certificate.html",
        certificate=certificate,
        link=link,
        # segno's own SVG markup (the link is encoded as drawn modules, never as text):
        qr=Markup(qr_code(link).svg_inline(scale=3, border=2, dark="#1d2622")),  # noqa: S704  # nosec B704
        signatory=certificate_signatory(),
        form=RevokeForm() if current_user.role == "admin" and certificate.is_valid else None,
    )


@bp.route("/sertifikat/<code>.pdf")
@login_required
def pdf(code: str):
    """Download a certificate as a PDF."""
    certificate = _viewable(code)
    body = certificate_pdf(certificate, verify_url(certificate), certificate_signatory())
    name = (certificate.number or "sertifikat").replace("/", "-")
    return (
        body,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="sertifikat-{name}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/sertifikat/<code>/cabut", methods=["POST"])
@role_required("admin")
def revoke(code: str):
    """Revoke a certificate with a reason (admins)."""
    certificate = service.by_code(code)
    if certificate is None:
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Formulir tidak sah. Muat ulang halaman.", "error")
    elif not certificate.is_valid:
        flash("Sertifikat ini sudah dicabut sebelumnya.", "info")
    else:
        service.revoke(certificate, form.reason.data, current_user._get_current_object())
        audit.record(
            "certificate.revoke",
            "certificate",
            certificate.id,
            f"Sertifikat {certificate.number} ({certificate.name}, {certificate.course_title}) dicabut",
            before={"revoked": False},
            after={"revoked": True, "reason": certificate.revoked_reason},
        )
        db.session.commit()
        flash(f"Sertifikat {certificate.number} dicabut.", "success")
    return redirect(url_for("certificates.show", code=certificate.code))


@bp.route("/verifikasi")
@limiter.limit("60 per minute")
def verify():
    """Public: check a certificate by its number and code (no login)."""
    number, code = request.args.get("nomor", ""), request.args.get("kode", "")
    status, certificate = service.verify(number, code) if (number or code) else (None, None)
    return render_template("certificates/verify.html", status=status, certificate=certificate, number=number, code=code)


@bp.route("/verifikasi/<code>")
@limiter.limit("60 per minute")
def verify_link(code: str):
    """Public: the link in a certificate's QR code."""
    certificate = service.by_code(code.strip().upper())
    status = None if certificate is None else ("valid" if certificate.is_valid else "revoked")
    if certificate is None:
        status = "unknown" if service.CODE.match(code.strip().upper()) else "malformed"
    return render_template("certificates/verify.html", status=status, certificate=certificate, number="", code=code)
