"""Which passwords a person may choose: long enough, not their NIP or birth date, not common."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_FILE = Path(__file__).with_name("common-passwords.txt")
# Rows of keys and runs of characters people type as "passwords".
SEQUENCES = ("0123456789", string.ascii_lowercase, "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv")
EDGES = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    """Return the list shipped in ``common-passwords.txt`` (lower case, comments skipped)."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def _birth_dates(nip: str) -> set[str]:
    """The ways people write the birth date held in digits 1-8 of a NIP (YYYYMMDD)."""
    if len(nip) < 8 or not nip[:8].isdigit():
        return set()
    year, month, day = nip[:4], nip[4:6], nip[6:8]
    return {year + month + day, day + month + year, day + month + year[2:], year[2:] + month + day}


def password_problem(password: str, nip: str = "", name: str = "") -> str | None:
    """Return why ``password`` may not be chosen (in Indonesian), or None if it may."""
    if len(password) < MIN_LENGTH:
        return f"Kata sandi minimal {MIN_LENGTH} karakter."
    if len(password) > MAX_LENGTH:
        return f"Kata sandi paling panjang {MAX_LENGTH} karakter."
    folded = password.casefold()
    digits = "".join(ch for ch in password if ch.isdigit())
    if nip and (nip in password or (len(digits) >= 6 and digits in nip)):
        return "Jangan memakai NIP atau sebagiannya sebagai kata sandi."
    if any(date in digits for date in _birth_dates(nip)):
        return "Jangan memakai tanggal lahir sebagai kata sandi."
    if len(set(folded)) <= 2:
        return "Kata sandi ini terlalu mudah ditebak (hanya satu-dua karakter yang diulang)."
    core = folded.strip(EDGES)
    if folded in common_passwords() or core in common_passwords():
        return "Kata sandi ini terlalu umum dan mudah ditebak. Pilih gabungan beberapa kata yang tidak lazim."
    if any(folded in run or folded in run[::-1] for run in SEQUENCES):
        return "Kata sandi ini hanya urutan tombol atau huruf. Pilih yang lebih sulit ditebak."
    if name and "".join(folded.split()) == "".join(name.casefold().split()):
        return "Jangan memakai nama Anda sebagai kata sandi."
    for part in name.casefold().split():
        if len(part) >= 4 and part in folded and len(core) - len(part) < 4:
            return "Kata sandi ini terlalu mirip dengan nama Anda."
    return None
