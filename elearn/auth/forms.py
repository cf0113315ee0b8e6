"""Login and password forms."""

from __future__ import annotations

from flask import g
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .nip import clean_nip, nip_problem
from .passwords import MAX_LENGTH, MIN_LENGTH, password_problem


class LoginForm(FlaskForm):
    nip = StringField(
        "NIP",
        filters=[clean_nip],
        validators=[DataRequired("NIP wajib diisi.")],
        render_kw={"inputmode": "numeric", "autocomplete": "username", "maxlength": 24},
    )
    password = PasswordField(
        "Kata sandi",
        validators=[DataRequired("Kata sandi wajib diisi.")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Masuk")

    def validate_nip(self, field) -> None:
        problem = nip_problem(field.data)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Kata sandi saat ini",
        validators=[DataRequired("Kata sandi saat ini wajib diisi.")],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        "Kata sandi baru",
        validators=[
            DataRequired("Kata sandi baru wajib diisi."),
            Length(min=MIN_LENGTH, max=MAX_LENGTH, message=f"Kata sandi baru {MIN_LENGTH}-{MAX_LENGTH} karakter."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[EqualTo("new", "Kedua kata sandi baru tidak sama.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Simpan kata sandi")

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current(self, field) -> None:
        if not self.user.check_password(field.data):
            g.wrong_current_password = True  # counted by the rate limit on this form
            raise ValidationError("Kata sandi saat ini salah.")

    def validate_new(self, field) -> None:
        if field.data == self.current.data:
            raise ValidationError("Kata sandi baru harus berbeda dari yang lama.")
        problem = password_problem(field.data, self.user.nip, self.user.name)
        if problem:
            raise ValidationError(problem)
