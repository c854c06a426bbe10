"""Pieces of the volunteer's pages: the charter, the profile fields, the hour card (their
navigation is the app's bar, components/layout.py)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import cheap, forms, ui
from heurecivique_app.components.text import T, T_each, both
from heurecivique_app.domain.availability import PART_LABELS
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.volunteering import (
    DAY_PART_LABELS,
    DAY_PARTS,
    DISTANCE_CHOICES,
    WEEKDAY_LABELS,
    WEEKDAYS,
    availability_field,
)
from heurecivique_app.i18n import SUPPORTED_LOCALES, translate


def charter_text(articles: rx.Var) -> rx.Component:
    """The charter's articles (presenters/charter.py), filled by the page's on_load in the
    user's language: one language over the websocket rather than both in the page's
    JavaScript (issue 4; a language change reloads the page, which fills them again)."""
    return ui.vstack(
        rx.cond(articles.length() > 0,
                rx.foreach(articles, lambda a: ui.box(ui.heading(a["title"], as_="h3", size="3"),
                                                      ui.text(a["text"], size="2"))),
                ui.text(T("Loading the charter…"), size="2", role="status")),
        spacing="3", width="100%", id="charter-text",
    )


def tick(name: str, label: rx.Var | str, checked: rx.Var | bool = False) -> rx.Component:
    """A checkbox inside its label: the whole line is the touch target (44 px high)."""
    return ui.checkbox(T(label) if isinstance(label, str) else label, name, checked)


def _checked(ticked: rx.Var | None, name: str) -> rx.Var | bool:
    return ticked.contains(name) if ticked is not None else False


def _skill_boxes() -> rx.Var:
    """The skills' checkboxes as a static list: [{"name": "skill_visit", "fr": …, "en": …}]."""
    return rx.Var.create([{"name": f"skill_{value}", **both(label)}
                          for value, label in CATEGORY_LABELS.items()])


def _availability_days() -> rx.Var:
    """The week grid as a static list: each day's labels and its boxes (names, and the
    day and part of the day together for screen readers: « Samedi matin »)."""
    return rx.Var.create([
        {**both(WEEKDAY_LABELS[day]),
         "boxes": [{"name": availability_field(day, part),
                    **{locale: f"{translate(WEEKDAY_LABELS[day], locale)} "
                               f"{translate(PART_LABELS[part], locale)}"
                       for locale in SUPPORTED_LOCALES}}
                   for part in DAY_PARTS]}
        for day in WEEKDAYS])


# The skills and the availability grid are rx.foreach templates over static lists: one
# template per list instead of one component per box (issue 4's JavaScript budget).
def skills_boxes(errors: rx.Var, ticked: rx.Var | None = None) -> rx.Component:
    """The skills' checkboxes, two columns from the small breakpoint, and their error."""
    return ui.vstack(
        ui.grid(
            rx.foreach(_skill_boxes(), lambda box: tick(
                box["name"], T_each(box), _checked(ticked, box["name"]))),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="1", width="100%",
        ),
        forms.error_for(errors, "skills"),
        spacing="1", width="100%",
    )


def skills_fieldset(errors: rx.Var, ticked: rx.Var | None = None) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("What I like doing")),
        skills_boxes(errors, ticked),
        class_name="plain-fieldset", id="skills",
    )


def week_grid(errors: rx.Var, ticked: rx.Var | None = None) -> rx.Component:
    """The weekly availability: a table of days × parts of the day, one checkbox a cell.

    Each cell is a 44 px target (its label), named « Samedi matin » for screen readers;
    the row and column headers say the same to the eye. Fits 360 px.
    """
    return ui.vstack(
        rx.el.table(
            rx.el.thead(rx.el.tr(
                rx.el.td(),
                *[rx.el.th(T(DAY_PART_LABELS[part]), scope="col") for part in DAY_PARTS],
            )),
            rx.el.tbody(rx.foreach(_availability_days(), lambda day: rx.el.tr(
                rx.el.th(T_each(day), scope="row"),
                rx.foreach(day["boxes"].to(list[dict[str, str]]), lambda box: rx.el.td(
                    rx.el.label(
                        rx.el.input(type="checkbox", name=box["name"], id=box["name"],
                                    default_checked=_checked(ticked, box["name"]),
                                    class_name="touch-check"),
                        rx.el.span(T_each(box), class_name="sr-only"),
                        html_for=box["name"], class_name="week-cell",
                    ))),
            ))),
            class_name="week-grid",
        ),
        forms.error_for(errors, "availability"),
        spacing="1", width="100%",
    )


def availability_fieldset(errors: rx.Var, ticked: rx.Var | None = None) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("When I am usually free")),
        week_grid(errors, ticked),
        class_name="plain-fieldset", id="availability",
    )


def distance_select(errors: rx.Var, value: rx.Var | str = "2") -> rx.Component:
    labels = {c: (f"{int(float(c) * 1000)} m" if float(c) < 1 else f"{c} km")
              for c in DISTANCE_CHOICES}
    label = N_("How far I will go from home")
    return forms.labelled(errors, label, "max_distance_km", rx.el.select(
        *[rx.el.option(text, value=choice) for choice, text in labels.items()],
        id="max_distance_km", name="max_distance_km", default_value=value,
        class_name="native-select",
    ))


def departement_pool_tick(ticked: rx.Var | None = None) -> rx.Component:
    """The offer to help in the département's other communes too (the département pool)."""
    return ui.vstack(
        tick("departement_pool",
             N_("I can also help in the other communes of the département"),
             _checked(ticked, "departement_pool")),
        ui.text(T("Their referents will then see you in their list of volunteers and may "
                  "offer you a mission; your address stays private."), size="1",
                color_scheme="gray"),
        spacing="1", width="100%",
    )


def place_inputs(errors: rx.Var, options: rx.Var, hood: rx.Var | str = "",
                 address: rx.Var | str = "") -> list[rx.Component]:
    """The neighbourhood (a list) and the private address (optional), with their hint."""
    return [
        ui.text(T("Choose your neighbourhood, or give your address: it stays private and "
                  "only serves to find missions near you."), size="2"),
        forms.labelled(errors, N_("Neighbourhood"), "neighbourhood_id", rx.el.select(
            rx.el.option(T("Choose…"), value=""),
            rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])),
            id="neighbourhood_id", name="neighbourhood_id", default_value=hood,
            class_name="native-select",
        )),
        forms.text_input(errors, N_("Address (optional)"), "address", default_value=address,
                         auto_complete="street-address"),
    ]


def place_fields(errors: rx.Var, options: rx.Var, hood: rx.Var | str = "",
                 address: rx.Var | str = "") -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("Where I live")),
        *place_inputs(errors, options, hood, address),
        class_name="plain-fieldset",
    )


def hour_card(percent: rx.Var, label: rx.Var, *extra: rx.Component) -> rx.Component:
    """« Mon heure ce mois-ci »: progress towards the one-hour pledge."""
    return ui.card(
        ui.vstack(
            ui.heading(T("My hour this month"), as_="h2", size="4"),
            cheap.progress(percent, label),
            ui.text(label, id="hour-label", class_name="hold hold-2"),
            *extra,
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="my-hour",
    )
