"""The sign-up page in steps (issue 16): its progress list, its steps and its week grid."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.volunteer import week_grid
from heurecivique_app.domain.volunteering import DAY_PARTS, WEEKDAYS, availability_field
from heurecivique_app.i18n import translate
from heurecivique_app.pages import signup as page
from heurecivique_app.services.signup import SIGNUP_STEPS


def test_the_progress_list_marks_the_current_step() -> None:
    class Form(rx.State):
        step: int = 2

    steps = ui.step_list(["a", "b", "c"], Form.step, "Steps", "done")
    assert steps.tag == "ol" and len(steps.children) == 3
    rendered = str(steps.render())
    assert '"aria-current"' in rendered and '"step"' in rendered
    assert "steps" in str(steps.class_name)


def test_one_title_per_step_each_translated() -> None:
    assert len(page.STEP_TITLES) == len(SIGNUP_STEPS)
    for title in (*page.STEP_TITLES, page.STEP_OF):
        assert translate(title, "fr") != title
    assert translate(page.STEP_OF, "fr", number=2, count=5) == "Étape 2 sur 5"


def test_the_week_grid_names_every_box_as_the_service_reads_it() -> None:
    rendered = str(week_grid(rx.Var.create({})).render())
    for day in WEEKDAYS:
        for part in DAY_PARTS:
            assert availability_field(day, part) in rendered
    assert "Samedi matin" in rendered and "Saturday morning" in rendered
