"""/console/match/[mission_id]: the ranked volunteers for a mission, with the reasons.

Live: a volunteer accepting or declining shows here without a reload.
"""

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.text import T
from heurecivique_app.presenters.pool import REASON_KINDS
from heurecivique_app.state.match import PICK_PREFIX, MatchState

TONE_COLOURS = (("good", "green"), ("bad", "red"), "gray")


def reason_badges(row: rx.Var) -> rx.Component:
    return rx.el.ul(
        *[rx.cond(row[kind] != "", rx.el.li(ui.badge(
            row[kind], size="2", variant="soft",
            color_scheme=rx.match(row[f"{kind}_tone"], *TONE_COLOURS),
        ), class_name=f"reason reason-{kind}")) for kind in REASON_KINDS],
        class_name="reason-list",
    )


def suggestion(row: rx.Var) -> rx.Component:
    return ui.card(ui.hstack(
        rx.cond(
            (row["can_offer"] != "") & (MatchState.mission["open"] != ""),
            rx.el.label(
                rx.el.input(type="checkbox", name=PICK_PREFIX + row["id"],
                            class_name="touch-check", aria_label=row["name"]),
                class_name="choice-row",
            ),
        ),
        ui.vstack(
            ui.hstack(ui.text(row["name"], weight="bold", class_name="suggestion-name"),
                      ui.text(row["neighbourhood"], size="1", color_scheme="gray"),
                      rx.cond(row["pool_badge"] != "",
                              ui.badge(row["pool_badge"], size="1", color_scheme="violet",
                                       high_contrast=True, class_name="pool-badge")),
                      ui.text(T("score"), " ", row["score"], size="1", color_scheme="gray"),
                      align="center", wrap="wrap"),
            reason_badges(row),
            spacing="1", width="100%",
        ),
        rx.cond(
            (row["can_offer"] != "") & (MatchState.mission["open"] != ""),
            ui.button(T("Assign"), type="button", size="2", variant="soft",
                      on_click=MatchState.assign(row["id"]), class_name="assign-button",
                      aria_label=T("Assign") + " " + row["name"]),
        ),
        align="center", width="100%",
    ), class_name="suggestion", data_volunteer_id=row["id"], width="100%")


def _select(label: rx.Component, name: str, *options: rx.Component) -> rx.Component:
    return ui.vstack(rx.el.label(label, html_for=name),
                     rx.el.select(*options, id=name, name=name, class_name="native-select",
                                  required=True),
                     spacing="1", width="100%")


def hand_over_form() -> rx.Component:
    """Give one volunteer's place to another who agreed on the phone (both are told)."""
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Hand the mission to another volunteer"), as_="h2", size="4"),
            ui.text(T("The place goes straight from one to the other: nobody else can take "
                      "it in between. Both are told by e-mail."), size="2"),
            ui.grid(
                _select(T("Instead of"), "from_volunteer_id",
                        rx.foreach(MatchState.holders,
                                   lambda h: rx.el.option(h["name"], value=h["id"]))),
                _select(T("Give the place to"), "to_volunteer_id",
                        rx.el.option(T("Choose a volunteer"), value=""),
                        rx.foreach(MatchState.rows, lambda row: rx.cond(
                            (row["can_offer"] != "") & (row["state"] != "accepted"),
                            rx.el.option(row["name"], value=row["id"])))),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            ui.vstack(rx.el.label(T("Why (the volunteer taken off receives it by e-mail)"),
                                  html_for="handover-reason"),
                      ui.input(id="handover-reason", name="reason", size="3", width="100%",
                               required=True, max_length=500),
                      spacing="1", width="100%"),
            ui.button(T("Hand over"), type="submit", size="3", id="hand-over"),
            spacing="3", width="100%",
        ),
        on_submit=MatchState.hand_over, reset_on_submit=True, key=MatchState.form_key,
    ), width="100%", id="hand-over-card")


def match_page() -> rx.Component:
    m = MatchState.mission
    return page(
        ui.hstack(
            ui.heading(T("Find a volunteer"), as_="h1", size="7"),
            ui.link(T("Back to the console"), href="/console", class_name="touch"),
            align="center", spacing="4", wrap="wrap",
        ),
        rx.cond(MatchState.found, ui.vstack(
            ui.card(ui.vstack(
                ui.hstack(ui.heading(m["title"], as_="h2", size="5"),
                          status_badge(m["status"], m["status_label"]), align="center",
                          wrap="wrap"),
                ui.text(m["category"], " · ", m["when"], " · ", m["places"], size="2"),
                rx.cond(m["open"] == "", ui.text(
                    T("Publish the mission before offering it to volunteers."), size="2",
                    color_scheme="amber")),
                spacing="1",
            ), width="100%", id="match-mission"),
            rx.cond(MatchState.result != "", ui.callout(
                MatchState.result, role="status", id="match-result", width="100%",
                color_scheme=rx.cond(MatchState.result_ok, "green", "red"))),
            forms.form(
                ui.vstack(
                    ui.heading(T("Suggested volunteers"), as_="h2", size="4"),
                    ui.text(T("Tick one or several volunteers to propose the mission in "
                              "their app, or assign one directly after a phone call."),
                            size="2"),
                    rx.cond(
                        MatchState.rows.length() > 0,
                        ui.vstack(rx.foreach(MatchState.rows, suggestion), width="100%",
                                  id="suggestions"),
                        ui.text(T("No volunteer can be suggested for this mission.")),
                    ),
                    rx.cond(m["open"] != "", ui.button(
                        T("Propose to the ticked volunteers"), type="submit", size="3",
                        id="propose")),
                    spacing="3", width="100%",
                ),
                on_submit=MatchState.propose, reset_on_submit=True, key=MatchState.form_key,
                width="100%",
            ),
            rx.cond(MatchState.holders.length() > 0, hand_over_form()),
            spacing="4", width="100%",
        )),
        on_live_version(version=MatchState.live_version, when=MatchState.found,
                        then=MatchState.follow_live),
        next_path="/console",
        max_width="64rem",
    )
