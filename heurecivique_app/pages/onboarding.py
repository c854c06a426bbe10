"""/admin/communes: the communes an administrator runs, and creating one (or a département);
/admin/communes/[commune_id]: a commune's identity, logo, neighbourhoods and first staff."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import text_area, text_input
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.text import N_
from heurecivique_app.pages.staff_admin import invite_fields
from heurecivique_app.state.onboarding import AdminState, CommuneEditState, CommunesAdminState

L = CommunesAdminState
E = CommuneEditState
GEOJSON_TYPES = {"application/geo+json": [".geojson"], "application/json": [".json"]}


def message(state: type[AdminState]) -> rx.Component:
    return rx.cond(state.message != "", ui.callout(
        state.message, role="status", id="admin-message", width="100%", high_contrast=True,
        color_scheme=rx.cond(state.message_ok, "green", "red")))


def identity_fields(errors: rx.Var, values: type[CommuneEditState] | None = None
                    ) -> list[rx.Component]:
    """The commune's fields; prefilled from ``values`` when editing."""
    def field(label: str, name: str, **props) -> rx.Component:
        if values is not None:
            props["default_value"] = getattr(values, name)
        return text_input(errors, label, name, auto_complete="off", **props)

    colour_props = {"default_value": values.colour} if values is not None else {
        "default_value": "#1d4ed8"}
    return [
        field(N_("Name of the commune"), "name"),
        field(N_("INSEE code (5 characters, e.g. 35360)"), "insee_code"),
        field(N_("Address of its site: /c/…"), "slug"),
        text_input(errors, N_("Colour (#rrggbb, dark enough for white text)"), "colour",
                   auto_complete="off", **colour_props),
        field(N_("Town hall's phone"), "contact_phone", type="tel"),
        field(N_("Town hall's e-mail"), "contact_email", type="email"),
        field(N_("Town hall's address"), "town_hall_address"),
        text_area(errors, N_("Text of the public site (optional)"), "public_text",
                  **({"default_value": values.public_text} if values is not None else {})),
    ]


def new_commune_form() -> rx.Component:
    errors = L.field_errors
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Add a commune"), as_="h2", size="4"),
            forms.dynamic_select(errors, N_("Département"), "departement_code", L.departements),
            rx.cond(L.is_platform, ui.vstack(
                ui.text(T("A new département? Type its code instead, and its name."), size="2"),
                text_input(errors, N_("Code of a new département"), "new_departement",
                           auto_complete="off"),
                text_input(errors, N_("Name of the new département"), "departement_name",
                           auto_complete="off"),
                spacing="2", width="100%")),
            *identity_fields(errors),
            ui.button(T("Create the commune"), type="submit", size="3", id="create-commune"),
            spacing="3", width="100%",
        ),
        on_submit=L.create_commune, reset_on_submit=False, key=L.form_key, id="commune-form",
    ), width="100%")


def departement_form() -> rx.Component:
    errors = L.field_errors
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Add or change a département"), as_="h2", size="4"),
            text_input(errors, N_("Département code (e.g. 35, 2A, 974)"), "code",
                       auto_complete="off"),
            text_input(errors, N_("Name of the département"), "dep_name", auto_complete="off"),
            text_input(errors, N_("E-mail for the mairies that want to join"), "dep_email",
                       type="email", auto_complete="off"),
            text_area(errors, N_("How a mairie joins (shown on the département's site)"),
                      "join_text"),
            ui.button(T("Save the département"), type="submit", size="3", variant="soft",
                      id="save-departement"),
            spacing="3", width="100%",
        ),
        on_submit=L.save_departement, reset_on_submit=False, key=L.form_key,
    ), width="100%")


def commune_item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        ui.link(row["name"], href="/admin/communes/" + row["id"], weight="bold",
                class_name="touch-link"),
        " — ", row["departement"], " — ",
        ui.link("/c/" + row["slug"], href="/c/" + row["slug"]),
        class_name="commune-row",
    )


def communes_page() -> rx.Component:
    return page(
        ui.heading(T("Communes"), as_="h1", size="7"),
        message(L),
        rx.el.ul(rx.foreach(L.rows, commune_item), id="communes",
                 style={"paddingLeft": "1.25rem", "lineHeight": "2"}),
        rx.cond(L.departements.length() > 0, new_commune_form()),
        rx.cond(L.is_platform, departement_form()),
        next_path="/admin/communes", max_width="50rem",
    )


# --- one commune ------------------------------------------------------------------------


def shapes_svg(rows: rx.Var, label: str, id: str) -> rx.Component:
    """The quarters as outlines with their names (presenters/onboarding.drawing)."""
    return rx.el.svg(
        rx.el.title(T(label)),
        rx.foreach(rows, lambda r: rx.el.svg.path(
            d=r["d"], fill="#1d4ed833", stroke="#1d4ed8", stroke_width="1.5")),
        rx.foreach(rows, lambda r: rx.el.svg.text(
            r["name"], x=r["x"], y=r["y"], text_anchor="middle", font_size="11",
            fill="#111111")),
        view_box="0 0 400 400", role="img", id=id,
        style={"width": "100%", "maxWidth": "26rem", "border": "1px solid var(--gray-6)",
               "background": "#ffffff"},
    )


def edit_form() -> rx.Component:
    errors = E.field_errors
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Identity and contacts"), as_="h2", size="4"),
            *identity_fields(errors, E),
            ui.button(T("Save"), type="submit", size="3", id="save-commune"),
            spacing="3", width="100%",
        ),
        on_submit=E.save, reset_on_submit=False, key=E.edit_key,
    ), width="100%")


def logo_card() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Logo"), as_="h2", size="4"),
        rx.cond(E.has_logo, rx.image(
            src="/api/c/" + E.slug + "/logo?v=" + E.logo_version.to_string(),
            alt=T("Logo of the commune"), style={"maxHeight": "5rem"})),
        ui.text(T("A JPEG, PNG or WebP image of at most 1 MB."), size="2"),
        forms.photo_upload("logo", N_("Logo of the commune"),
                           E.upload_logo(rx.upload_files(upload_id="logo"))),
        forms.error_for(E.field_errors, "logo"),
        spacing="2", width="100%",
    ), width="100%")


def import_card() -> rx.Component:
    upload = rx.upload(
        ui.button(T("Choose a GeoJSON file"), type="button", variant="soft"),
        id="geojson", accept=GEOJSON_TYPES, max_files=1, multiple=False, no_drag=True,
        on_drop=E.upload_geojson(rx.upload_files(upload_id="geojson")),
        border="none", padding="0",
    )
    forms._name_file_inputs(upload, T("GeoJSON file of the neighbourhoods"))
    return ui.card(ui.vstack(
        ui.heading(T("Import contours"), as_="h2", size="4"),
        ui.text(T("A GeoJSON file of polygons in longitude/latitude (EPSG:4326), one per "
                  "neighbourhood, named by a property « nom » or « name » (the IRIS or "
                  "quartier contours a town publishes). A neighbourhood of the same name "
                  "gets the new contour and keeps its board."), size="2"),
        upload,
        forms.error_for(E.field_errors, "geojson"),
        rx.cond(E.preview.length() > 0, ui.vstack(
            shapes_svg(E.preview, N_("Drawing of the file's neighbourhoods"), "preview"),
            ui.text(T("Neighbourhoods in the file: "), E.preview_names.join(", "),
                    id="preview-names"),
            ui.button(T("Import these neighbourhoods"), on_click=E.import_geojson, size="3",
                      id="import-geojson"),
            spacing="2", width="100%")),
        spacing="2", width="100%",
    ), width="100%")


def circle_card() -> rx.Component:
    errors = E.field_errors
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Draw a neighbourhood as a circle"), as_="h2", size="4"),
            ui.text(T("Where the town has no contours: a centre and a radius."), size="2"),
            text_input(errors, N_("Name"), "hood_name", auto_complete="off"),
            ui.hstack(text_input(errors, N_("Latitude"), "lat", input_mode="decimal"),
                      text_input(errors, N_("Longitude"), "lon", input_mode="decimal"),
                      width="100%"),
            text_input(errors, N_("Radius (metres)"), "radius_m", input_mode="numeric",
                       default_value="600"),
            ui.button(T("Add the neighbourhood"), type="submit", variant="soft",
                      id="add-circle"),
            spacing="2", width="100%",
        ),
        on_submit=E.add_circle, reset_on_submit=False, key=E.form_key,
    ), width="100%")


def hoods_card() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Neighbourhoods"), as_="h2", size="4"),
        rx.cond(E.drawn.length() > 0,
                shapes_svg(E.drawn, N_("Drawing of the commune's neighbourhoods"), "drawn")),
        rx.el.ul(rx.foreach(E.hoods, lambda h: rx.el.li(h["name"], " — ", h["shape"])),
                 id="hoods", style={"paddingLeft": "1.25rem"}),
        rx.cond(E.hoods.length() == 0, ui.text(T("No neighbourhood yet."))),
        spacing="2", width="100%",
    ), width="100%")


def invite_card() -> rx.Component:
    errors = E.field_errors
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Invite its first staff"), as_="h2", size="4"),
            *invite_fields(errors, name_field="person_name"),
            spacing="2", width="100%",
        ),
        on_submit=E.invite, reset_on_submit=False, key=E.form_key,
    ), width="100%")


def commune_page() -> rx.Component:
    return page(
        ui.link(T("All communes"), href="/admin/communes", class_name="touch-link"),
        rx.cond(
            E.found,
            ui.vstack(
                ui.heading(E.name, as_="h1", size="7", id="commune-title"),
                ui.link(T("Its public site"), href="/c/" + E.slug, class_name="touch-link"),
                message(E),
                edit_form(), logo_card(), hoods_card(), import_card(), circle_card(),
                invite_card(),
                spacing="4", width="100%",
            ),
            ui.heading(T("This commune is not among yours."), as_="h1", size="6"),
        ),
        next_path="/admin/communes", max_width="50rem",
    )
