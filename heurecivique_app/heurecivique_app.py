"""The Reflex app: wiring only."""

import reflex as rx

from heurecivique_app.adapters.db import add_event_publisher
from heurecivique_app.api import api
from heurecivique_app.pages import board, console, index, login, mission  # noqa: F401
from heurecivique_app.realtime.hub import bind_hub_to_loop, hub

app = rx.App(
    api_transformer=api,
    theme=rx.theme(accent_color="indigo", radius="large"),
    stylesheets=["/styles.css"],
    head_components=[rx.el.meta(name="theme-color", content="#1d4ed8")],
)
app.register_lifespan_task(bind_hub_to_loop)
add_event_publisher(hub.publish)
