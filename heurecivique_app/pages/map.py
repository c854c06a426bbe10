"""/map: open missions nearby, as areas on a map and as a list sorted by distance."""

import reflex as rx

from heurecivique_app.components import leaflet, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T, T_steady
from heurecivique_app.state.map import RADIUS_CHOICES, MapState


def mission_area(marker: rx.Var) -> rx.Component:
    return leaflet.circle(
        leaflet.popup(
            rx.el.div(
                rx.el.strong(marker["title"]),
                rx.el.div(marker["category"], " · ", marker["distance"]),
                rx.el.div(marker["when"], " · ", marker["duration"]),
                rx.el.a(T("See the mission"), href=marker["href"], class_name="map-popup-link"),
                class_name="map-popup",
            ),
        ),
        center=marker["center"],
        radius=marker["radius"],
        path_options=marker["path"],
    )


def the_map() -> rx.Component:
    return ui.box(
        leaflet.map_container(
            leaflet.tile_layer(url=MapState.tile_url, attribution=MapState.attribution),
            rx.foreach(MapState.markers, mission_area),
            # Where the search starts from: a small dot, not an area.
            leaflet.circle_marker(center=MapState.centre, radius=6,
                                  path_options={"color": "#111827", "fillColor": "#ffffff",
                                                "fillOpacity": 1, "weight": 3}),
            key=MapState.map_key,
            center=MapState.centre,
            zoom=MapState.zoom,
            scroll_wheel_zoom=False,
            style={"height": "100%", "width": "100%"},
        ),
        id="nearby-map",
        role="region",
        aria_label=T("Map of the missions nearby"),
        style={"height": "55vh", "minHeight": "18rem", "width": "100%",
               "borderRadius": "var(--radius)", "overflow": "hidden"},
    )


# Asks the browser for its position and posts the answer (or the error) through the
# hidden form below to MapState.got_location. A function compiled into the bundle,
# not rx.call_script, whose string Reflex runs with eval (forbidden by the CSP).
LOCATE_JS = """() => {
  const form = document.getElementById("geo-form");
  const post = (lat, lon, error) => {
    form.elements.lat.value = lat; form.elements.lon.value = lon;
    form.elements.error.value = error; form.requestSubmit();
  };
  if (!navigator.geolocation) { post("", "", "unsupported"); return; }
  navigator.geolocation.getCurrentPosition(
    (p) => post(p.coords.latitude, p.coords.longitude, ""),
    (e) => post("", "", String(e.code)),
    {enableHighAccuracy: false, timeout: 10000, maximumAge: 300000});
}"""


def location_form() -> rx.Component:
    return rx.el.form(
        *[rx.el.input(type="hidden", name=name, default_value="")
          for name in ("lat", "lon", "error")],
        on_submit=MapState.got_location, id="geo-form", hidden=True,
    )


def controls() -> rx.Component:
    return ui.vstack(
        location_form(),
        ui.hstack(
            ui.button(T("Use my location"), on_click=rx.call_function(LOCATE_JS), size="3",
                      id="use-location"),
            rx.cond(MapState.located,
                    ui.button(T("Back to my neighbourhood"), on_click=MapState.show_home,
                              variant="soft", size="3", id="show-home")),
            wrap="wrap",
            spacing="2",
        ),
        ui.hstack(
            # As wide as its longer translation: the select beside it never moves.
            rx.el.label(T_steady("Within"), html_for="radius", class_name="nowrap"),
            rx.el.select(
                *[rx.el.option(f"{r} m" if r < 1000 else f"{r // 1000} km", value=str(r))
                  for r in RADIUS_CHOICES],
                id="radius",
                value=MapState.radius_value,
                on_change=MapState.set_radius,
                class_name="native-select",
            ),
            align="center",
            spacing="2",
        ),
        ui.text(MapState.origin_label, id="map-origin", size="2", color_scheme="gray",
                class_name="hold"),
        # The row keeps a button's height before the state arrives: the map below stays put.
        ui.hstack(
            rx.cond(MapState.neighbours.length() > 0,
                    ui.text(T("Neighbouring boards:"), size="2")),
            rx.foreach(MapState.neighbours, lambda n: ui.button(
                n["name"], on_click=MapState.show_board(n["id"]), variant="outline",
                size="1", class_name="neighbour-board")),
            spacing="2",
            align="center",
            class_name="hold-target scroll-row",
        ),
        spacing="2",
        width="100%",
    )


def legend() -> rx.Component:
    return ui.hstack(
        rx.foreach(MapState.legend, lambda item: ui.hstack(
            ui.box(style={"width": "0.8rem", "height": "0.8rem", "borderRadius": "50%",
                          "background": item["colour"]}),
            ui.text(item["label"], size="1"),
            align="center",
            spacing="1",
        )),
        wrap="wrap",
        spacing="3",
        id="map-legend",
        class_name="hold-legend",
    )


def mission_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        ui.link(
            ui.card(
                ui.hstack(
                    ui.box(style={"width": "0.8rem", "height": "0.8rem", "borderRadius": "50%",
                                  "background": row["colour"], "flexShrink": "0",
                                  "marginTop": "0.35rem"}),
                    ui.vstack(
                        ui.hstack(ui.text(row["title"], weight="bold"), ui.spacer(),
                                  ui.text(row["distance"], size="2", class_name="distance"),
                                  width="100%"),
                        ui.text(row["category"], " · ", row["neighbourhood"], size="2",
                                color_scheme="gray"),
                        ui.text(row["when"], " · ", row["duration"], size="2"),
                        spacing="1",
                        width="100%",
                    ),
                    align="start",
                    width="100%",
                ),
                width="100%",
            ),
            href=row["href"],
            underline="none",
            width="100%",
        ),
        class_name="nearby-row",
        style={"listStyle": "none", "width": "100%"},
    )


def map_page() -> rx.Component:
    return page(
        ui.heading(T("Needs near me"), as_="h1", size="6"),
        controls(),
        the_map(),
        legend(),
        ui.text(T("Each circle is an approximate area: the exact address is given only to the "
                  "volunteer who accepts."), size="1", color_scheme="gray"),
        rx.cond(MapState.more_text != "", ui.callout(MapState.more_text, id="map-more",
                                                     width="100%")),
        ui.heading(T("Sorted by distance"), as_="h2", size="4"),
        rx.cond(
            MapState.missions.length() > 0,
            rx.el.ol(rx.foreach(MapState.missions, mission_row), id="nearby-list",
                     style={"padding": 0, "margin": 0, "width": "100%", "display": "flex",
                            "flexDirection": "column", "gap": "0.5rem"}),
            rx.cond(MapState.loaded, ui.text(MapState.empty_text, id="nearby-empty")),
        ),
        ui.link(T("Back to the board"), href="/board"),
        next_path="/map", nav="volunteer", active="map",
    )
