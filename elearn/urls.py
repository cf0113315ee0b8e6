"""URLs built once per worker and path prefix: ``url_for`` for templates, menus and buttons.

Every page's frame asks for the same URLs (the menu, the static files with their hashed
names, the logout form) and its buttons for a handful more; werkzeug builds each anew,
which was a tenth of a lesson page's time. A URL depends only on the endpoint, its values
and the prefix the app is mounted under (``request.script_root``), so it is kept in a
bounded cache. Calls this cache cannot key safely (a relative ``.endpoint``, ``_external``,
``_anchor`` and the other underscore options, unhashable values) go to Flask as before.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, request
from flask import url_for as flask_url_for

CACHED_URLS = 4096  # per worker; a page's own URLs are a few dozen, ids included


@lru_cache(maxsize=CACHED_URLS)
def _built(script_root: str, endpoint: str, values: tuple) -> str:
    return flask_url_for(endpoint, **dict(values))


def url_for(endpoint: str, **values) -> str:
    """Flask's ``url_for`` (relative URLs), remembered for the same endpoint and values."""
    if endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return flask_url_for(endpoint, **values)
    key = tuple(sorted(values.items()))
    try:
        hash(key)
    except TypeError:
        return flask_url_for(endpoint, **values)
    return _built(request.script_root, endpoint, key)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = url_for
