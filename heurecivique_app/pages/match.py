"""/console/match/[mission_id]: the ranked volunteers for a mission, with the reasons."""

import reflex as rx

from heurecivique_app.components import forms
from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.text import T
from heurecivique_app.presenters.pool import REASON_KINDS
from heurecivique_app.state.match import PICK_PREFIX, MatchState

TONE_COLOURS = (("good", "green"), ("bad", "red"), "gray")


def reason_badges(row: rx.Var) -> rx.Component:
    return rx.el.ul(
        *[rx.cond(row[kind] != "", rx.el.li(rx.badge(
            row[kind], size="2", variant="soft",
            color_scheme=rx.match(row[f"{kind}_tone"], *TONE_COLOURS),
        ), class_name=f"reason reason-{kind}")) for kind in REASON_KINDS],
        class_name="reason-list",
    )


def suggestion(row: rx.Var) -> rx.Component:
    return rx.card(rx.hstack(
        rx.cond(
            (row["can_offer"] != "") & (MatchState.mission["open"] != ""),
            rx.el.label(
                rx.el.input(type="checkbox", name=PICK_PREFIX + row["id"],
                            class_name="touch-check", aria_label=row["name"]),
                class_name="choice-row",
            ),
        ),
        rx.vstack(
            rx.hstack(rx.text(row["name"], weight="bold", class_name="suggestion-name"),
                      rx.text(row["neighbourhood"], size="1", color_scheme="gray"),
                      rx.text(T("score"), " ", row["score"], size="1", color_scheme="gray"),
                      align="center", wrap="wrap"),
            reason_badges(row),
            spacing="1", width="100%",
        ),
        rx.cond(
            (row["can_offer"] != "") & (MatchState.mission["open"] != ""),
            rx.button(T("Assign"), type="button", size="2", variant="soft",
                      on_click=MatchState.assign(row["id"]), class_name="assign-button",
                      aria_label=T("Assign") + " " + row["name"]),
        ),
        align="center", width="100%",
    ), class_name="suggestion", data_volunteer_id=row["id"], width="100%")


def match_page() -> rx.Component:
    m = MatchState.mission
    return page(
        rx.hstack(
            rx.heading(T("Find a volunteer"), as_="h1", size="7"),
            rx.link(T("Back to the console"), href="/console", class_name="touch"),
            align="center", spacing="4", wrap="wrap",
        ),
        rx.cond(MatchState.found, rx.vstack(
            rx.card(rx.vstack(
                rx.hstack(rx.heading(m["title"], as_="h2", size="5"),
                          status_badge(m["status"], m["status_label"]), align="center",
                          wrap="wrap"),
                rx.text(m["category"], " · ", m["when"], " · ", m["places"], size="2"),
                rx.cond(m["open"] == "", rx.text(
                    T("Publish the mission before offering it to volunteers."), size="2",
                    color_scheme="amber")),
                spacing="1",
            ), width="100%", id="match-mission"),
            rx.cond(MatchState.result != "", rx.callout(
                MatchState.result, role="status", id="match-result", width="100%",
                color_scheme=rx.cond(MatchState.result_ok, "green", "red"))),
            forms.form(
                rx.vstack(
                    rx.heading(T("Suggested volunteers"), as_="h2", size="4"),
                    rx.text(T("Tick one or several volunteers to propose the mission in "
                              "their app, or assign one directly after a phone call."),
                            size="2"),
                    rx.cond(
                        MatchState.rows.length() > 0,
                        rx.vstack(rx.foreach(MatchState.rows, suggestion), width="100%",
                                  id="suggestions"),
                        rx.text(T("No volunteer can be suggested for this mission.")),
                    ),
                    rx.cond(m["open"] != "", rx.button(
                        T("Propose to the ticked volunteers"), type="submit", size="3",
                        id="propose")),
                    spacing="3", width="100%",
                ),
                on_submit=MatchState.propose, reset_on_submit=True, key=MatchState.form_key,
                width="100%",
            ),
            spacing="4", width="100%",
        )),
        next_path="/console",
        max_width="64rem",
    )
