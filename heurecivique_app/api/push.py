"""Web push subscriptions of the signed-in person's browsers (``assets/push.js`` calls these).

- ``GET /api/push/key``: the VAPID public key browsers subscribe with (created and
  stored at the first need, see ``services/push.py``); it is public by nature;
- ``POST /api/push/subscriptions``: the browser's ``PushSubscription`` as JSON;
- ``DELETE /api/push/subscriptions``: ``{"endpoint": …}``, this browser stops.

Whose browser it is comes from the session cookie, never from the body. Only JSON
from our own pages is taken: a cross-site ``Origin`` is refused, and another
site's form cannot send ``application/json`` without the browser asking us first.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import cross_site, request_actor
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.jobs.push import keys_in
from heurecivique_app.services import push
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope

MAX_BODY = 4096  # a subscription is about 400 bytes


async def public_key(request: Request) -> Response:
    with session_scope() as session:
        keys = keys_in(session, get_settings())
    return JSONResponse({"publicKey": keys.public_key})


async def _json_body(request: Request) -> dict | Response:
    if cross_site(request):
        return Response(status_code=403)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return Response(status_code=415)
    body = await request.body()
    if len(body) > MAX_BODY:
        return Response(status_code=413)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    return data if isinstance(data, dict) else Response(status_code=400)


async def subscribe(request: Request) -> Response:
    data = await _json_body(request)
    if isinstance(data, Response):
        return data
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return Response(status_code=401)
        try:
            push.subscribe(session, actor=actor, endpoint=data.get("endpoint"),
                           p256dh=keys.get("p256dh"), auth=keys.get("auth"))
        except ValidationFailed as refused:
            session.rollback()
            return JSONResponse({"errors": refused.errors}, status_code=400)
    return JSONResponse({"ok": True}, status_code=201)


async def unsubscribe(request: Request) -> Response:
    data = await _json_body(request)
    if isinstance(data, Response):
        return data
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return Response(status_code=401)
        push.unsubscribe(session, actor=actor, endpoint=data.get("endpoint"))
    return Response(status_code=204)


routes = [
    Route("/api/push/key", public_key, methods=["GET"]),
    Route("/api/push/subscriptions", subscribe, methods=["POST"]),
    Route("/api/push/subscriptions", unsubscribe, methods=["DELETE"]),
]
