import reflex as rx

config = rx.Config(
    app_name="heurecivique_app",
    show_built_with_reflex=False,
    telemetry_enabled=False,
    # Same-origin only: the app and its websocket are served on one port.
    cors_allowed_origins=[],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="large"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
