"""A live server on 127.0.0.1 and Debian's chromium at 360×740, driven by Playwright."""

from __future__ import annotations

import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from tests.conftest import fresh_app

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": VIEWPORT, "locale": "nb-NO"}


@pytest.fixture
def app(tmp_path):
    """The real app with CSRF on, as people get it."""
    with fresh_app(tmp_path, WTF_CSRF_ENABLED=True) as app:
        yield app


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app.config["BASE_URL"]
    server.shutdown()
    thread.join()


_axe = Axe()


def check_page(page, label: str = "") -> None:
    """What every page must pass: axe (WCAG 2.2 AA tags named), target sizes, no sideways
    scrolling at 320 px, and the safety call on worker pages."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, f"{label or page.url}: " + "; ".join(
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations)

    small = page.evaluate("""() => [...document.querySelectorAll(
            'a[href], button, input:not([type=hidden]), select, textarea')]
        .filter(el => {
            const r = el.getBoundingClientRect(), s = getComputedStyle(el);
            const shown = r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.opacity !== '0';
            return shown && r.bottom > 0 && (r.width < 44 || r.height < 44);
        })
        .map(el => el.outerHTML.slice(0, 80) + ' ' + Math.round(el.getBoundingClientRect().width)
             + 'x' + Math.round(el.getBoundingClientRect().height))""")
    assert not small, f"{label or page.url}: targets under 44×44: {small}"

    page.set_viewport_size({"width": 320, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(VIEWPORT)
    assert overflow <= 0, f"{label or page.url}: scrolls sideways at 320 px by {overflow}px"
