"""Settings an admin may change, read through one helper each (environment values as defaults)."""

from __future__ import annotations

from flask import current_app


def jp_target() -> int:
    """Return the yearly JP target every learner's record is measured against."""
    return int(current_app.config["JP_TARGET"])


def certificate_issuer() -> str:
    """Return the body named as the issuer on certificates."""
    return current_app.config["CERT_ISSUER"]


def certificate_signatory() -> str:
    """Return who signs certificates (a title, or a title and a name)."""
    return current_app.config["CERT_SIGNATORY"]
