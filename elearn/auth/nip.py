"""The NIP (Nomor Induk Pegawai) of a PNS: 18 digits with a birth date, a start month and a sex."""

from __future__ import annotations

from datetime import date

from .. import clock


def nip_problem(nip: str) -> str | None:
    """Return why ``nip`` is not a valid NIP (in Indonesian), or None if it is valid.

    Digits 1-8 are the birth date (YYYYMMDD), 9-14 the year and month of appointment
    (TMT CPNS), digit 15 the sex (1 or 2) and 16-18 a sequence number.
    """
    if not nip:
        return "NIP wajib diisi."
    if not nip.isdigit() or not nip.isascii():
        return "NIP hanya boleh berisi angka."
    if len(nip) != 18:
        return f"NIP harus 18 digit (yang diisi {len(nip)} digit)."
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "8 digit pertama NIP harus tanggal lahir yang valid (TTTTBBHH)."
    this_year = clock.today_wib().year
    if not 1940 <= born.year <= this_year - 15:
        return "Tahun lahir pada NIP tidak masuk akal."
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or not born.year + 15 <= year <= this_year + 1:
        return "Digit 9-14 NIP harus tahun dan bulan pengangkatan yang valid (TTTTBB)."
    if nip[14] not in "12":
        return "Digit ke-15 NIP (jenis kelamin) harus 1 atau 2."
    return None


def clean_nip(raw: str | None) -> str:
    """Return the NIP without the spaces people type to group its digits."""
    return "".join((raw or "").split())
