"""The field, select, checkbox group and dialog of components/ui.py, for assistive technology."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.state.relay import RelayState


def _code(component: rx.Component) -> str:
    return str(component.render())


def test_a_field_links_its_label_hint_and_error_to_its_control() -> None:
    errors = RelayState.field_errors
    code = _code(ui.field("Title", ui.input(id="title", name="title"), control_id="title",
                          hint="Ten words at most", error=errors["title"],
                          invalid=errors.contains("title")))
    assert 'htmlFor:"title"' in code
    assert 'id:"title-hint"' in code and 'id:"title-error"' in code
    assert '"aria-invalid"' in code and '"title-hint title-error"' in code
    assert 'role:"alert"' in code


def test_a_field_without_error_or_hint_has_no_dangling_reference() -> None:
    code = _code(ui.field("Title", ui.input(id="title"), control_id="title"))
    assert "aria-describedby" not in code and "aria-invalid" not in code


def test_the_forms_helpers_are_design_system_fields() -> None:
    code = _code(forms.select(RelayState.field_errors, "Category", "category", {"a": "Other"}))
    assert "field-group" in code and "field select" in code
    assert '"category-error"' in code


def test_a_checkbox_group_is_a_fieldset_with_a_legend() -> None:
    code = _code(ui.checkbox_group("Rules", ui.checkbox("Urgent", "urgent")))
    assert code.count('"fieldset"') >= 1 and '"legend"' in code
    assert 'type:"checkbox"' in code and 'htmlFor:"urgent"' in code


def test_a_dialog_is_named_by_its_title_and_opened_by_its_button() -> None:
    code = _code(ui.dialog(ui.button("Cancel", id="open"), "Sure?",
                           ui.dialog_close("Keep"), dialog_id="confirm"))
    assert '"data-dialog":"confirm"' in code and '"aria-controls":"confirm"' in code
    assert '"aria-haspopup":"dialog"' in code
    assert '"dialog"' in code and '"aria-labelledby":"confirm-title"' in code
    assert 'id:"confirm-title"' in code
    assert '"data-dialog-close":"true"' in code
