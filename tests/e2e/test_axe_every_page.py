"""Issue 16: axe-core finds no WCAG 2.1 A/AA violation on any page, in French and in English,
and every phone page keeps its touch targets at 44 px on a small phone held either way.

One browser context per role (logged in once through the real form), reused by every page
of that role; the language is the ``hc_locale`` cookie, switched between two visits. The
admin pages (/admin/communes…) and the département's pages (/d/<code>,
/console/stats/departement) are checked in both languages by test_commune_onboarding.py
and test_stats_dashboard.py, with the accounts those tests create.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from a11y import axe_violations
from conftest import PHONE, TABLET, demo_ids, login
from playwright.sync_api import Browser, Page

SMALL = {"width": 360, "height": 640}
LANDSCAPE = {"width": 640, "height": 360}
MIN_TARGET = 44

# role: (account, device, where the login lands)
ROLES = {
    "anonymous": (None, PHONE, None),
    "volunteer": ("volontaire@vitre.demo", PHONE, "/home"),
    "relay": ("relais@vitre.demo", PHONE, "/relay"),
    "referent": ("referent@vitre.demo", TABLET, "/console"),
    "commune_admin": ("mairie@vitre.demo", TABLET, "/console"),
}


# (role, path); "{mission}" and the like are filled from the demo data.
PAGES = [
    ("anonymous", "/login"),
    ("anonymous", "/signup"),
    ("anonymous", "/c/{slug}"),
    ("anonymous", "/privacy"),
    ("anonymous", "/insurance"),
    ("volunteer", "/home"),
    ("volunteer", "/board"),
    ("volunteer", "/missions/{mission}"),
    ("volunteer", "/missions/{accepted}"),
    ("volunteer", "/map"),
    ("volunteer", "/charter"),
    ("volunteer", "/account"),
    ("volunteer", "/notifications"),
    ("relay", "/relay"),
    ("relay", "/relay/issue"),
    ("relay", "/relay/need"),
    ("referent", "/console"),
    ("referent", "/console/reports"),
    ("referent", "/console/intake"),
    ("referent", "/console/volunteers"),
    ("referent", "/console/volunteers/{volunteer}"),
    ("referent", "/console/match/{mission}"),
    ("referent", "/place/{mission}"),
    ("referent", "/console/missions"),
    ("referent", "/console/missions/{mission}"),
    ("referent", "/console/beneficiaries"),
    ("referent", "/console/beneficiaries/{beneficiary}"),
    ("referent", "/console/collective/new"),
    ("referent", "/console/attendance/{collective}"),
    ("referent", "/console/messages"),
    ("referent", "/console/audit"),
    ("referent", "/console/privacy"),
    ("referent", "/console/stats"),
    ("commune_admin", "/console/staff"),
]
PHONE_ROLES = ("anonymous", "volunteer", "relay")


def _params(pages):
    return [pytest.param(role, path, id=f"{role}:{path}") for role, path in pages]


@pytest.fixture(scope="module")
def ids(app_server) -> dict[str, object]:
    return demo_ids(app_server)


@pytest.fixture(scope="module")
def role_page(browser: Browser, app_server) -> Iterator:
    """One page per role, in its own context, logged in on first use."""
    pages: dict[str, Page] = {}

    def get(role: str, locale: str) -> Page:
        if role not in pages:
            email, device, landing = ROLES[role]
            context = browser.new_context(base_url=app_server.url, locale="fr-FR", **device)
            pages[role] = context.new_page()
            if email:
                login(pages[role], email, landing)
        page = pages[role]
        page.context.add_cookies([{"name": "hc_locale", "value": locale,
                                   "url": app_server.url}])
        return page

    yield get
    for page in pages.values():
        page.context.close()


def _visit(page: Page, base: str, path: str) -> None:
    answer = page.goto(path)
    assert answer is not None and answer.ok, path
    page.wait_for_load_state("networkidle")
    # The websocket's data replaced the skeletons (a few seconds at most).
    for _ in range(40):
        if page.evaluate("!document.querySelector('.skeleton')"):
            break
        page.wait_for_timeout(250)
    landed = page.url.removeprefix(base)
    assert landed.split("?")[0].rstrip("/") == path.rstrip("/"), f"{path} ended on {landed}"


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize(("role", "path"), _params(PAGES))
def test_no_axe_violation(role_page, ids, app_server, role, path, locale):
    page = role_page(role, locale)
    path = path.format(**ids)
    _visit(page, app_server.url, path)
    # The page says its language (WCAG 3.1.1), which axe cannot check for us.
    assert page.evaluate("document.documentElement.lang") == locale
    assert axe_violations(page) == [], f"{path} ({locale})"


# Every control a finger can hit, shown (hidden inputs excluded, and the 1 px file input a
# photo button opens); a label is part of its control's target; links inside a sentence
# are WCAG 2.5.8's inline exception.
TARGETS_JS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), '
    + 'select, textarea, summary, [role=button], [tabindex="0"]')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
               && !e.closest('.leaflet-control-attribution')
               && !(e.tagName === 'A' && e.closest('p')))
  .map(e => { const r = e.getBoundingClientRect(), l = e.closest('label');
              const t = l ? l.getBoundingClientRect() : r;
              return {what: e.outerHTML.slice(0, 90), w: Math.max(r.width, t.width),
                      h: Math.max(r.height, t.height)}; })
  .filter(t => (t.w < 44 || t.h < 44) && (t.w > 1 || t.h > 1))"""


@pytest.mark.parametrize(("role", "path"),
                         _params([(r, p) for r, p in PAGES if r in PHONE_ROLES]))
def test_touch_targets_and_no_sideways_scroll_on_a_small_phone(role_page, ids, app_server,
                                                               role, path):
    page = role_page(role, "fr")
    path = path.format(**ids)
    try:
        for viewport in (SMALL, LANDSCAPE):
            page.set_viewport_size(viewport)
            _visit(page, app_server.url, path)
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{path} {viewport}: sideways scroll {width}"
            assert page.evaluate(TARGETS_JS) == [], f"{path} {viewport}: targets under 44 px"
    finally:
        page.set_viewport_size(PHONE["viewport"])
