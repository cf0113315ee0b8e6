"""Layout checks a page must pass on a phone and a desktop: nothing clipped, targets big enough."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

# Elements that stick out of the viewport and are not inside a box that scrolls sideways.
CLIPPED_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') return true;
    }
    return false;
  };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('.visually-hidden, .skip-link')) continue;
    if ((rect.right > width + 1 || rect.left < -1) && !scrolls(el)) {
      bad.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') +
               ' ' + Math.round(rect.left) + '..' + Math.round(rect.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, bad: bad.slice(0, 10)};
}
"""

# Links, buttons and fields under 24 x 24 CSS px (WCAG 2.2, 2.5.8), except links inside a
# sentence (the "inline" exception) and controls wrapped in a bigger label.
SMALL_TARGETS_JS = """
() => {
  const small = [];
  const targets = document.querySelectorAll('a[href], button, select, input:not([type=hidden]), summary, textarea');
  for (const el of targets) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (el.closest('.visually-hidden')) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (rect.width >= 24 && rect.height >= 24) continue;
    const label = el.closest('label');
    if (label) { const r = label.getBoundingClientRect(); if (r.width >= 24 && r.height >= 24) continue; }
    if (el.tagName === 'A') {
      const block = el.parentElement.closest('p, li, td, th, dd, figcaption, blockquote');
      const text = block ? block.textContent.replace(/\\s+/g, ' ').trim() : '';
      const own = el.textContent.replace(/\\s+/g, ' ').trim();
      if (block && text.length > own.length + 2) continue;  // a link in a sentence
    }
    small.push(el.tagName.toLowerCase() + ' "' + (el.textContent || el.value || el.name || '').trim().slice(0, 30) +
               '" ' + Math.round(rect.width) + 'x' + Math.round(rect.height));
  }
  return small.slice(0, 10);
}
"""


LOAD_IMAGES_JS = """
() => Promise.all([...document.images].map((img) => {
  img.loading = 'eager';
  return img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; });
}))
"""


def layout_problems(page: Page) -> list[str]:
    """Return what is clipped sideways or too small to tap on the current page.

    Lazy images are loaded first: a link around a figure has no height until its image arrives.
    """
    page.evaluate(LOAD_IMAGES_JS)
    clipped = page.evaluate(CLIPPED_JS)
    problems = [f"clipped: {item}" for item in clipped["bad"]]
    if clipped["scrollWidth"] > clipped["width"]:
        problems.append(f"page scrolls sideways: {clipped['scrollWidth']} > {clipped['width']}")
    problems += [f"small target: {item}" for item in page.evaluate(SMALL_TARGETS_JS)]
    return problems


def screenshot(page: Page, tmp_path: Path, name: str) -> None:
    """Save a full-page screenshot (to $SCREENSHOTS as well, to look at them after a run)."""
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
