"""The discussion forms: a new thread, a reply, a moderator's reason, a report."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from .models import BODY_MAX, REASON_MAX, TITLE_MAX
from .moderation import PostAction, ThreadAction

TITLE_MIN = 5


def _text(value: str | None) -> str:
    """Text as typed, without NUL characters (PostgreSQL refuses them) and with plain line ends."""
    return (value or "").replace("\x00", "").replace("\r\n", "\n").strip()


def _line(value: str | None) -> str:
    return " ".join(_text(value).split())


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 5.000, as Indonesian writes thousands


def _at_most(limit: int, what: str):
    def check(form, field) -> None:
        if len(field.data or "") > limit:
            raise ValidationError(
                f"{what} paling panjang {_count(limit)} karakter (sekarang {_count(len(field.data))}). "
                "Persingkat, lalu kirim lagi; teks Anda masih ada di bawah."
            )

    return check


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


class _PostForm(FlaskForm):
    # The form's identity: the same form sent twice makes one post (see posting.py).
    nonce = HiddenField(default=_new_nonce)

    def validate_nonce(self, field) -> None:
        if not field.data or len(field.data) > 64:
            raise ValidationError("Formulir tidak lengkap. Muat ulang halaman, lalu kirim lagi.")


class ReplyForm(_PostForm):
    body = TextAreaField(
        "Balasan Anda",
        filters=[_text],
        validators=[DataRequired("Tulis pesan Anda terlebih dahulu."), _at_most(BODY_MAX, "Pesan")],
        render_kw={"rows": 6},
    )


class ThreadForm(_PostForm):
    title = StringField(
        "Judul topik",
        filters=[_line],
        validators=[DataRequired("Judul topik wajib diisi."), _at_most(TITLE_MAX, "Judul")],
        render_kw={"autocomplete": "off"},
    )
    body = TextAreaField(
        "Isi pesan",
        filters=[_text],
        validators=[DataRequired("Tulis isi pesan Anda terlebih dahulu."), _at_most(BODY_MAX, "Pesan")],
        render_kw={"rows": 8},
    )

    def validate_title(self, field) -> None:
        if len(field.data) < TITLE_MIN:
            raise ValidationError(f"Judul paling sedikit {TITLE_MIN} karakter, agar rekan tahu isi topiknya.")


class ReadForm(FlaskForm):
    upto = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)])


class ReportForm(FlaskForm):
    reason = StringField("Alasan", filters=[_line], validators=[_at_most(REASON_MAX, "Alasan")])


class _ModerationForm(FlaskForm):
    reason = StringField("Alasan", filters=[_line], validators=[_at_most(REASON_MAX, "Alasan")])

    def validate_reason(self, field) -> None:
        if self.action.data in ("hide",) and len(field.data) < 3:
            raise ValidationError("Tuliskan alasan menyembunyikan (paling sedikit 3 karakter); alasan ini dicatat.")


class ThreadModerationForm(_ModerationForm):
    action = SelectField(choices=[a.value for a in ThreadAction])


class PostModerationForm(_ModerationForm):
    action = SelectField(choices=[a.value for a in PostAction])
