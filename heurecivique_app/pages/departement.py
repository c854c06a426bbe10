"""/d/[code]: a département's public site — its communes on a light map, their figures
summed, a link to each commune's site, and how a mairie joins."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.text import T
from heurecivique_app.domain.text import N_
from heurecivique_app.pages.public import counter, lang_links, public_main, section
from heurecivique_app.state.departement import DepartementState

D = DepartementState


def header() -> rx.Component:
    return rx.el.header(
        ui.hstack(
            ui.vstack(ui.text("L'Heure Civique", size="6", weight="bold"),
                      ui.text(D.name, size="4"), spacing="0"),
            ui.spacer(),
            lang_links("/d/" + D.code),
            ui.link(T("Log in"), href="/login", class_name="touch"),
            align="center", width="100%", wrap="wrap", spacing="3",
        ),
        class_name="public-header",
        style={"background": "#1d4ed8", "color": "white", "padding": "1rem"},
    )


def town_map() -> rx.Component:
    """Dots and names; the list below carries the links (the drawing is decoration)."""
    return rx.el.svg(
        rx.foreach(D.towns, lambda t: rx.cond(t["on_map"], rx.el.svg.circle(
            cx=t["x"], cy=t["y"], r="7", fill="#1d4ed8"))),
        rx.foreach(D.towns, lambda t: rx.cond(t["on_map"], rx.el.svg.text(
            t["name"], x=t["x"], y=t["y"], dy="-12", text_anchor="middle", font_size="13",
            fill="#111111"))),
        view_box="0 0 400 300", aria_hidden="true", id="towns-map",
        style={"width": "100%", "maxWidth": "32rem", "background": "#f1f5f9",
               "borderRadius": "8px"},
    )


def found_page() -> rx.Component:
    return ui.vstack(
        ui.heading(T("One hour a month to help a neighbour, in the communes of the "
                     "département."), as_="h1", size="8"),
        section(T("Participating communes"),
                town_map(),
                rx.el.ul(rx.foreach(D.towns, lambda t: rx.el.li(ui.link(
                    t["name"], href="/c/" + t["slug"], class_name="touch-link"))),
                    id="towns", style={"paddingLeft": "1.25rem", "lineHeight": "2"}),
                id="communes"),
        section(T("Figures of the département"), ui.grid(
            counter(D.communes_count, N_("participating communes"), "count-communes"),
            counter(D.volunteers, N_("volunteers"), "count-volunteers"),
            counter(D.hours_year, N_("given this year"), "count-year"),
            counter(D.actions_done, N_("actions done"), "count-actions"),
            columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%",
        ), id="figures"),
        section(T("Your mairie wants to join?"),
                ui.text(T("The département brings the tools: the public site, the volunteers' "
                          "app, the referents' console, posters and flyers. The mairie "
                          "names a referent who meets the volunteers and takes in the "
                          "needs.")),
                rx.cond(D.join_text != "", ui.text(D.join_text, id="join-text",
                                                   style={"whiteSpace": "pre-line"})),
                rx.cond(D.contact_email != "", ui.text(
                    T("Write to: "), ui.link(D.contact_email, href="mailto:" + D.contact_email,
                                             id="join-email"))),
                id="join"),
        spacing="6", width="100%",
    )


def departement_site() -> rx.Component:
    return ui.box(
        header(),
        public_main(D.found, found_page(), N_("This département is not on HeureCivique.")),
    )
