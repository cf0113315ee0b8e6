"""Numbers the Indonesian way, for pages and messages alike."""

from __future__ import annotations

import math
from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def angka(value: float | int | None) -> str:
    """Return a number with a decimal comma and no trailing zeros: 3,5 and 12."""
    if value is None:
        return "-"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def skor(percent: float | None) -> str:
    """Return a score out of 100 rounded down to one decimal, so 69.96 never reads as 70."""
    if percent is None:
        return "-"
    return angka(math.floor(percent * 10) / 10)


def tanggal(value: date | None) -> str:
    """Return a date as Indonesians write it: 30 November 2026."""
    if value is None:
        return "-"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
