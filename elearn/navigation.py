"""The main menu: which pages each role sees in the header (the one place that decides it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from flask import request

from .urls import url_for


@dataclass(frozen=True)
class MenuItem:
    label: str
    endpoint: str
    roles: tuple[str, ...] | None = None  # None: everyone logged in
    area: str | None = None  # a blueprint whose every page this item stands for ("admin.")

    @property
    def url(self) -> str:
        return url_for(self.endpoint)

    def is_current(self, endpoint: str) -> bool:
        return endpoint == self.endpoint or bool(self.area and endpoint.startswith(self.area))


MENU = (
    MenuItem("Beranda", "learn.dashboard"),
    MenuItem("Katalog", "learn.catalog"),
    MenuItem("Catatan", "reports.record"),
    MenuItem("Riwayat", "quiz.history"),
    MenuItem("Unit saya", "reports.unit_dashboard", roles=("supervisor", "admin")),
    MenuItem("Evaluasi", "evaluation.evaluation", roles=("supervisor", "trainer", "admin")),
    MenuItem("Pelatih", "trainer.health", roles=("trainer", "admin"), area="trainer."),
    MenuItem("Admin", "admin.home", roles=("admin",), area="admin."),
)


def items_for(role: str) -> list[MenuItem]:
    """Return the menu items a user of ``role`` may see, in order."""
    return [item for item in MENU if item.roles is None or role in item.roles]


class MenuLink(NamedTuple):
    label: str
    url: str
    current: bool


def menu_links(user) -> tuple[MenuLink, ...]:
    """The header's links for ``user`` on this page: ``items_for`` with each item's URL and
    whether it is the current page, built once per role, page and path prefix (every page's
    header asks for them)."""
    if not user.is_authenticated:
        return ()
    return _links(user.role, request.endpoint or "", request.script_root)


@lru_cache(maxsize=1024)  # roles x endpoints (a few hundred) x path prefixes (one)
def _links(role: str, endpoint: str, _script_root: str) -> tuple[MenuLink, ...]:
    return tuple(MenuLink(item.label, item.url, item.is_current(endpoint)) for item in items_for(role))
