"""/c/[slug]: the commune's public site — the scheme, signing up, asking for help, live figures."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.text import T, T_steady
from heurecivique_app.domain.gestures import CHARTER_POINTS, SMALL_GESTURES
from heurecivique_app.domain.rules import RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.public import PublicState


def lang_links(here: rx.Var | str) -> rx.Component:
    """FR and EN for a public page whose path is ``here`` (the server sets the cookie)."""
    def lang(code: str, name: str) -> rx.Component:
        # The accessible name starts with the visible text (WCAG 2.5.3, label in name).
        return rx.el.a(code.upper(), href="/api/locale?lang=" + code + "&next=" + here,
                       lang=code, aria_label=f"{code.upper()} ({name})",
                       class_name="touch lang-link",
                       custom_attrs={"reloadDocument": True})

    return ui.hstack(lang("fr", "Français"), lang("en", "English"), role="group")


def public_main(found: rx.Var, content: rx.Component, missing: str) -> rx.Component:
    """The page's main landmark: ``content``, or the ``missing`` heading."""
    return rx.el.main(
        rx.cond(found, content, ui.heading(T(missing), as_="h1", size="6")),
        style={"maxWidth": "60rem", "margin": "0 auto", "padding": "1rem"},
    )


def public_header() -> rx.Component:
    return rx.el.header(
        ui.hstack(
            ui.vstack(
                ui.text("L'Heure Civique", size="6", weight="bold"),
                ui.text(PublicState.commune_name, size="4", class_name="hold"),
                spacing="0",
            ),
            # After the name, with its size given: showing it moves no text.
            rx.cond(PublicState.has_logo, rx.el.img(
                src="/api/c/" + PublicState.commune_slug + "/logo", alt="",
                class_name="commune-logo", custom_attrs={"width": "56", "height": "56"})),
            ui.spacer(),
            lang_links("/c/" + PublicState.commune_slug),
            ui.link(T("Log in"), href="/login", class_name="touch"),
            align="center", width="100%", wrap="wrap", spacing="3",
        ),
        class_name="public-header",
        style={"background": PublicState.theme_color, "color": "white",
               "padding": "1rem"},
    )


def section(title: rx.Var, *children: rx.Component, id: str = "") -> rx.Component:
    return rx.el.section(
        ui.vstack(ui.heading(title, as_="h2", size="6"), *children, spacing="3",
                  width="100%"),
        id=id, style={"width": "100%"},
    )


def counter(value: rx.Var, label: str, id: str) -> rx.Component:
    return ui.card(ui.vstack(
        ui.text(value, size="7", weight="bold", id=id),
        ui.text(T(label), size="2"),
        spacing="1", align="center",
    ), width="100%")


def story(row: rx.Var) -> rx.Component:
    return ui.card(ui.vstack(
        rx.cond(row["photo"] != "",
                # Its size is given (4:3, as wide as the card): its arrival moves nothing.
                rx.el.img(src=row["photo"], alt=row["title"], class_name="story-photo",
                          custom_attrs={"width": "640", "height": "480"})),
        ui.heading(row["title"], as_="h3", size="4"),
        ui.text(row["text"]),
        spacing="2",
    ), width="100%", class_name="story")


def bullets(items, **props) -> rx.Component:
    return rx.el.ul(*[rx.el.li(T(item)) for item in items],
                    style={"paddingLeft": "1.25rem", "lineHeight": "1.6"}, **props)


def found_page() -> rx.Component:
    return ui.vstack(
        # The first screen keeps its height whichever language the state brings.
        ui.heading(T_steady("One hour a month to help a neighbour."), as_="h1", size="8"),
        ui.text(T_steady("Give one hour a month to help a fragile neighbour or a collective "
                         "action near home: shopping, a visit, a lift, a walk, cleaning a "
                         "street together."), size="4"),
        section(T("Live figures"), ui.grid(
            counter(PublicState.volunteers, N_("volunteers"), "count-volunteers"),
            counter(PublicState.hours_month, N_("given this month"), "count-month"),
            counter(PublicState.hours_year, N_("given this year"), "count-year"),
            counter(PublicState.actions_done, N_("actions done"), "count-actions"),
            columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%",
        ), id="figures"),
        section(T("The rules"), bullets(RULE_TEXTS.values()), id="rules"),
        section(T("The citizen's charter"), bullets(CHARTER_POINTS), id="charter"),
        # The commune's own words come with the state: below the first screen, where
        # their arrival moves nothing the visitor sees.
        rx.cond(PublicState.public_text != "",
                ui.text(PublicState.public_text, id="public-text",
                        style={"whiteSpace": "pre-line"})),
        section(
            T("Sign up as a volunteer"),
            ui.text(T("Sign up here in three minutes, on your phone: a referent then meets "
                      "you and presents the charter. You can also call or write to the "
                      "town hall.")),
            # Shown once the commune is known, so the link always names it.
            rx.cond(PublicState.commune_name != "",
                    ui.link(T("Sign up as a volunteer"),
                            href="/signup?c=" + PublicState.commune_slug,
                            class_name="touch", id="signup-link", weight="bold")),
            id="sign-up",
        ),
        section(
            T("Ask for help"),
            ui.text(T("You, or a neighbour, need a hand? Call the town hall, write to us, or "
                      "fill in the paper form and leave it at the town hall.")),
            rx.el.ul(
                rx.cond(PublicState.contact_phone != "", rx.el.li(
                    T("Phone: "), ui.link(PublicState.contact_phone,
                                          href=PublicState.contact_phone_href, id="phone"))),
                rx.cond(PublicState.contact_email != "", rx.el.li(
                    T("Email: "), ui.link(PublicState.contact_email,
                                          href="mailto:" + PublicState.contact_email,
                                          id="email"))),
                rx.cond(PublicState.town_hall_address != "", rx.el.li(
                    T("Town hall: "), PublicState.town_hall_address, id="town-hall")),
                rx.el.li(ui.link(T("The “Needs to fill in” paper form (PDF)"),
                                 href="/api/c/" + PublicState.commune_slug + "/besoins.pdf",
                                 is_external=True)),
                style={"paddingLeft": "1.25rem", "lineHeight": "1.8"},
            ),
            ui.callout(T("Emergencies: call 15 (SAMU), 17 (police), 18 (fire brigade) or "
                         "112."), color_scheme="red", width="100%"),
            id="ask-help",
        ),
        section(T("Success stories"),
                rx.cond(PublicState.stories.length() > 0,
                        ui.grid(rx.foreach(PublicState.stories, story),
                                columns=rx.breakpoints(initial="1", md="2"), spacing="3",
                                width="100%", id="stories"),
                        ui.text(T("Soon here: the first stories of our volunteers."))),
                id="stories-section"),
        section(T("Ideas of small gestures"), bullets(SMALL_GESTURES, id="gestures"),
                id="gestures-section"),
        section(T("Posters and flyers"), ui.hstack(
            ui.link(T("A4 poster (PDF)"), href="/api/c/" + PublicState.commune_slug + "/poster.pdf",
                    is_external=True),
            ui.link(T("A5 flyer (PDF)"), href="/api/c/" + PublicState.commune_slug + "/flyer.pdf",
                    is_external=True),
            spacing="4", wrap="wrap",
        ), id="print"),
        spacing="6", width="100%",
    )


def public_site() -> rx.Component:
    return ui.box(
        public_header(),
        public_main(PublicState.found, found_page(), N_("This commune is not on HeureCivique.")),
    )
