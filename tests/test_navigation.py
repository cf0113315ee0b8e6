"""The header's menu: the links each role sees, and the current page marked."""

from __future__ import annotations

import re

from tests.conftest import login
from tests.factories import make_user

NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"\s*(aria-current="page")?>([^<]+)</a>')


def menu(client, url: str) -> list[tuple[str, str, bool]]:
    html = client.get(url).get_data(as_text=True)
    return [(label, href, bool(current)) for href, current, label in LINK.findall(NAV.search(html).group(0))]


def test_a_learner_sees_four_links_with_the_page_they_are_on_marked(client, login_as):
    login_as()
    assert menu(client, "/kursus") == [
        ("Beranda", "/", False),
        ("Katalog", "/kursus", True),
        ("Catatan", "/catatan", False),
        ("Riwayat", "/riwayat", False),
    ]
    assert [current for _, _, current in menu(client, "/")] == [True, False, False, False]
    assert not any(current for _, _, current in menu(client, "/cari"))  # a page with no menu item


def test_each_role_keeps_its_own_menu_and_an_area_marks_its_item(app, client, login_as):
    admin = app.test_client()
    login(admin, make_user(role="admin", name="Admin BKPP").nip)
    links = menu(admin, "/admin/pegawai")
    assert [label for label, _, _ in links] == [
        "Beranda",
        "Katalog",
        "Catatan",
        "Riwayat",
        "Unit saya",
        "Evaluasi",
        "Pelatih",
        "Admin",
    ]
    assert [label for label, _, current in links if current] == ["Admin"]  # a page inside the admin area
    login_as()  # a learner after the admin, on the same pages: no admin's links
    assert [label for label, _, _ in menu(client, "/kursus")] == ["Beranda", "Katalog", "Catatan", "Riwayat"]
    assert not any(current for _, _, current in menu(admin, "/kursus")[4:])
