"""/place/[mission_id]: the referent places a need on the map by tapping it."""

import reflex as rx

from heurecivique_app.components import leaflet, ui
from heurecivique_app.components.layout import missing_item, page
from heurecivique_app.components.text import T
from heurecivique_app.state.place import PlaceState


def place() -> rx.Component:
    return page(
        rx.cond(
            PlaceState.found,
            ui.vstack(
                ui.heading(T("Place the need on the map"), as_="h1", size="6"),
                ui.text(PlaceState.title, weight="bold"),
                ui.text(PlaceState.address, " · ", PlaceState.neighbourhood),
                ui.text(PlaceState.source_label, id="place-source", size="2",
                        color_scheme="gray"),
                ui.text(T("Tap the map where the person lives. Volunteers will only see an "
                          "approximate area."), size="2"),
                ui.box(
                    leaflet.map_container(
                        leaflet.tile_layer(url=PlaceState.tile_url,
                                           attribution=PlaceState.attribution),
                        leaflet.circle_marker(center=PlaceState.point, radius=8,
                                              path_options={"color": "#b91c1c",
                                                            "fillOpacity": 0.8}),
                        leaflet.map_click(on_pick=PlaceState.pick),
                        center=PlaceState.point,
                        zoom=16,
                        scroll_wheel_zoom=False,
                        style={"height": "100%", "width": "100%"},
                    ),
                    id="place-map",
                    style={"height": "60vh", "width": "100%"},
                ),
                rx.cond(PlaceState.message != "",
                        ui.callout(PlaceState.message, id="place-message", role="status",
                                   width="100%")),
                ui.link(T("Back to the console"), href="/console"),
                width="100%",
                spacing="3",
            ),
            missing_item(PlaceState.loaded, "place-loading"),
        ),
        next_path="/console",
        max_width="60rem",
    )
