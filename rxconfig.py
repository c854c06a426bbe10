import reflex as rx

from heurecivique_app.build_hooks import PageBuild
from heurecivique_app.settings import get_settings

config = rx.Config(
    app_name="heurecivique_app",
    show_built_with_reflex=False,
    telemetry_enabled=False,
    # Same-origin only: the app and its websocket are served on one port
    # (see also the Origin check restored in heurecivique_app.py).
    cors_allowed_origins=[],
    # Scale-out: with REDIS_URL, Reflex keeps states in Redis and runs several workers.
    redis_url=get_settings().redis_url,
    # Embedded: states in memory, not written to disk after every event. A tab's
    # state is only a cache: on_load rebuilds it from the database and the cookie.
    state_manager_mode=(rx.constants.StateManagerMode.REDIS if get_settings().redis_url
                        else rx.constants.StateManagerMode.MEMORY),
    # No component library: the design system is plain elements (components/ui.py).
    # One plugin of our own (build_hooks.py): dynamic routes pre-rendered as templates,
    # and pre-rendered pages that fetch their scripts after what the first paint needs.
    plugins=[PageBuild(template_routes=("/c/[slug]", "/d/[code]", "/missions/[mission_id]"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
