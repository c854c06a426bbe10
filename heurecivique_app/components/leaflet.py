"""A thin react-leaflet wrapper. Imported by the map page only, so Leaflet's code and
CSS are loaded by that route alone (Leaflet touches ``window`` at import: no SSR)."""

from __future__ import annotations

import reflex as rx


class LeafletBase(rx.NoSSRComponent):
    library = "react-leaflet@5.0.0"
    lib_dependencies: list[str] = ["leaflet@1.9.4"]


class MapContainer(LeafletBase):
    tag = "MapContainer"
    center: rx.Var[list[float]]
    zoom: rx.Var[int]
    scroll_wheel_zoom: rx.Var[bool]

    def add_imports(self):
        return {"": ["leaflet/dist/leaflet.css"]}


class TileLayer(LeafletBase):
    tag = "TileLayer"
    url: rx.Var[str]
    attribution: rx.Var[str]


class Circle(LeafletBase):
    """A circle whose radius is in metres: an approximate area on the ground."""

    tag = "Circle"
    center: rx.Var[list[float]]
    radius: rx.Var[float]
    path_options: rx.Var[dict]


class CircleMarker(LeafletBase):
    """A circle of fixed size in pixels (default marker icons break under bundlers)."""

    tag = "CircleMarker"
    center: rx.Var[list[float]]
    radius: rx.Var[int]
    path_options: rx.Var[dict]


class Popup(LeafletBase):
    tag = "Popup"


map_container = MapContainer.create
tile_layer = TileLayer.create
circle = Circle.create
circle_marker = CircleMarker.create
popup = Popup.create


class MapClick(rx.NoSSRComponent):
    """Calls ``on_pick([lat, lon])`` when the map around it is tapped (see map_click.jsx)."""

    library = "$/public" + rx.asset("map_click.jsx", shared=True)
    tag = "MapClick"
    is_default = True
    lib_dependencies: list[str] = ["react-leaflet@5.0.0", "leaflet@1.9.4"]
    on_pick: rx.EventHandler[lambda point: [point]]


map_click = MapClick.create
