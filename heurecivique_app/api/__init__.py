"""Plain HTTP routes (Starlette), mounted beside the Reflex app by ``api_transformer``.

Files and redirects rather than pages: login and logout (they set the HttpOnly
session cookie), the sign-up's e-mail link, downloads (PDFs, photos, CSV and XLSX
exports, my data), the photo a relay attaches to a report (``relay_photo``), the
installable app's manifest and one-click unsubscribe links; health, readiness and
metrics (``health``). Each module keeps a ``routes`` list; ``common`` holds what they
share (cookie, actor, locale).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware

from heurecivique_app.api import (
    accountability,
    community,
    exports,
    health,
    notifications,
    push,
    pwa,
    recovery,
    relay_photo,
    session,
    stats,
    volunteer,
)
from heurecivique_app.wiring import logs

api = Starlette(routes=[
    *session.routes,
    *community.routes,
    *relay_photo.routes,
    *pwa.routes,
    *volunteer.routes,
    *recovery.routes,
    *exports.routes,
    *stats.routes,
    *notifications.routes,
    *push.routes,
    *accountability.routes,
    *health.routes,
], middleware=[
    # Every request (pages and build files too: the frontend is mounted in here) logs
    # under its own id.
    Middleware(logs.RequestContext),
])
