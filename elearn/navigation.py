"""The main menu: which pages each role sees in the header (the one place that decides it)."""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def current(self) -> bool:
        endpoint = request.endpoint or ""
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


def menu_for(user) -> list[MenuItem]:
    """Return the menu items ``user`` may see, in order."""
    if not user.is_authenticated:
        return []
    return [item for item in MENU if item.roles is None or user.role in item.roles]
