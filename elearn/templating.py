"""Jinja's template globals, read without walking a ChainMap key by key.

Jinja gives each template a ``ChainMap`` of its own globals (none, in this app) over the
environment's. Every render copies it into the page's context and every ``{% from ... import
%}`` compares its keys with the page's (a set difference): over a ChainMap both ran in Python,
one key and one map at a time, about 15-20 us of each page. ``TemplateGlobals`` answers from
the environment's dict directly while the template has no globals of its own, and as a
ChainMap otherwise; what it holds and how it changes are Jinja's.
"""

from __future__ import annotations

from collections import ChainMap

from flask import Flask
from flask.templating import Environment as FlaskEnvironment


class TemplateGlobals(ChainMap):
    """A ChainMap of a template's own globals over the environment's."""

    def _shared(self) -> dict | None:
        """The environment's globals, while the template has none of its own."""
        maps = self.maps
        return maps[1] if len(maps) == 2 and not maps[0] else None

    def __getitem__(self, key):
        shared = self._shared()
        return shared[key] if shared is not None else super().__getitem__(key)

    def __contains__(self, key) -> bool:
        shared = self._shared()
        return key in shared if shared is not None else super().__contains__(key)

    def __iter__(self):
        shared = self._shared()
        return iter(shared) if shared is not None else super().__iter__()

    def keys(self):
        shared = self._shared()
        return shared.keys() if shared is not None else super().keys()


class Environment(FlaskEnvironment):
    def make_globals(self, d: dict | None) -> TemplateGlobals:
        return TemplateGlobals({} if d is None else d, self.globals)


class App(Flask):
    """The app's Flask, with ``TemplateGlobals`` for its templates."""

    jinja_environment = Environment
