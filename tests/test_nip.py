"""NIP validation."""

from datetime import UTC, datetime

import pytest

from elearn import clock
from elearn.auth.nip import clean_nip, nip_problem


def test_a_valid_nip_has_no_problem():
    assert nip_problem("198507122010012003") is None


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("", "wajib"),
        ("19850712201001200", "18 digit"),
        ("19850712201001200A", "angka"),
        ("198513122010012003", "tanggal lahir"),
        ("198502302010012003", "tanggal lahir"),
        ("198507122010132003", "pengangkatan"),
        ("198507121990012003", "pengangkatan"),
        ("198507122010013003", "ke-15"),
        ("183007122010012003", "Tahun lahir"),
    ],
)
def test_invalid_nips_are_explained(nip, reason):
    assert reason in nip_problem(nip)


def test_spaces_typed_between_groups_are_removed():
    assert clean_nip(" 19850712 201001 2 003 ") == "198507122010012003"


def test_the_latest_appointment_year_follows_the_apps_clock_in_wib(monkeypatch):
    nip = "198507122028012003"  # appointed January 2028: at most next year's
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 16, 59, tzinfo=UTC))  # 23.59 WIB, still 2026
    assert "pengangkatan" in nip_problem(nip)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 17, 0, tzinfo=UTC))  # 1 January 2027, 00.00 WIB
    assert nip_problem(nip) is None
