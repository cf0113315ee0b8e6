"""The audit log: every admin action, with who, when, from where, and before and after."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..models import AuditEvent


def record(
    action: str,
    target_type: str,
    target_id: Any,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits, or rolls back, with the change)."""
    actor = current_user if has_request_context() and current_user.is_authenticated else None
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "sistem (perintah flask)",
        address=request.remote_addr if has_request_context() else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        summary=summary[:500],
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


ACTIONS = {
    "user.create": "Akun dibuat",
    "user.update": "Akun diubah",
    "user.deactivate": "Akun dinonaktifkan",
    "user.reactivate": "Akun diaktifkan lagi",
    "user.password_reset": "Kata sandi diatur ulang",
    "import.confirm": "Impor pegawai",
    "unit.create": "Unit dibuat",
    "unit.update": "Unit diubah",
    "unit.merge": "Unit digabung",
    "unit.import": "Impor unit",
    "certificate.revoke": "Sertifikat dicabut",
    "recommendation.create": "Rekomendasi kursus",
    "setting.change": "Pengaturan diubah",
    "forum.thread_pin": "Topik diskusi disematkan",
    "forum.thread_unpin": "Topik diskusi dilepas dari atas",
    "forum.thread_lock": "Topik diskusi dikunci",
    "forum.thread_unlock": "Topik diskusi dibuka",
    "forum.thread_hide": "Topik diskusi disembunyikan",
    "forum.thread_unhide": "Topik diskusi ditampilkan",
    "forum.post_hide": "Pesan diskusi disembunyikan",
    "forum.post_unhide": "Pesan diskusi ditampilkan",
    "forum.post_dismiss": "Laporan pesan ditutup",
}
