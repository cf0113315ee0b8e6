"""Issuing, finding, verifying and revoking certificates."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from ..clock import WIB
from ..extensions import db
from ..models import Certificate, Completion, User, utcnow
from ..settings import certificate_issuer

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
CODE_LENGTH = 10  # 50 random bits
NUMBER = re.compile(r"^ELS/(\d{4})/(\d{6,})$")
CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def wib_date(moment: datetime):
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(WIB).date()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue(completion: Completion, user: User, course_title: str) -> Certificate | None:
    """Issue the certificate of a completion (not committed); None if a valid one exists already."""
    completed_on = wib_date(completion.completed_at)
    certificate = Certificate(
        code=new_code(),
        user_id=user.id,
        completion_id=completion.id,
        course_id=completion.course_id,
        name=user.name,
        nip=user.nip,
        course_title=course_title,
        jp=completion.jp,
        completed_on=completed_on,
        issuer=certificate_issuer(),
        issued_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
            db.session.flush()
            # The id is unique, so the number is too, whatever completes at the same moment.
            certificate.number = f"ELS/{completed_on.year}/{certificate.id:06d}"
            db.session.flush()
    except IntegrityError:  # issued by a concurrent request
        return None
    return certificate


def issue_missing(user_id: int | None, titles: dict[str, str]) -> int:
    """Issue certificates for completions without a valid one (of one user, or everyone); return how many."""
    valid = db.select(Certificate.completion_id).where(Certificate.revoked_at.is_(None))
    query = db.select(Completion, User).join(User, User.id == Completion.user_id).where(Completion.id.not_in(valid))
    if user_id is not None:
        query = query.where(Completion.user_id == user_id)
    issued = 0
    for completion, user in db.session.execute(query).all():
        issued += issue(completion, user, titles.get(completion.course_id, completion.course_id)) is not None
    return issued


def by_code(code: str) -> Certificate | None:
    if not CODE.match(code or ""):
        return None
    return db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one_or_none()


def verify(number: str, code: str) -> tuple[str, Certificate | None]:
    """Return ("malformed" | "unknown" | "revoked" | "valid", the certificate) for a number and code."""
    number, code = (number or "").strip().upper(), (code or "").strip().upper()
    if not NUMBER.match(number) or not CODE.match(code):
        return "malformed", None
    certificate = by_code(code)
    if certificate is None or certificate.number != number:
        return "unknown", None
    return ("valid" if certificate.is_valid else "revoked"), certificate


def revoke(certificate: Certificate, reason: str, by: User) -> None:
    """Revoke a certificate (not committed); a new one may then be issued for the completion."""
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()[:500]
    certificate.revoked_by = by.id
