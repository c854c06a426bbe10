"""Form fields with a label, and their translated error below (any state's error dict)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.text import T


def form(*children: rx.Component, **props) -> rx.Component:
    """A form whose submit Reflex handles (an event with the form data), full width.

    A plain ``<form>`` rather than ``rx.form`` (Radix Form's root): the app uses none of
    Radix Form's fields or messages, and its script cost every page with a form 1.3 kB of
    gzipped JavaScript (issue 4). The submit handling is the same (Reflex's own).
    """
    props.setdefault("width", "100%")
    return rx.el.form(*children, **props)


def error_for(errors: rx.Var, name: str) -> rx.Component:
    """The translated error of ``name`` in a state's error dict, when there is one."""
    return ui.field_error(errors[name], f"{name}-error", errors.contains(name))


def _invalid_when_in_error(control: rx.Component, errors: rx.Var, name: str) -> rx.Component:
    """Screen readers announce the field as invalid and read its message with it."""
    return ui._describe(control, None, f"{name}-error", errors.contains(name))


def labelled(errors: rx.Var, label: str, name: str, control: rx.Component,
             hint: str | None = None) -> rx.Component:
    """The design system's field (ui.field) with the state's error for ``name``."""
    return ui.field(T(label), control, control_id=name, hint=hint and T(hint),
                    error=errors[name], invalid=errors.contains(name))


def text_input(errors: rx.Var, label: str, name: str, hint: str | None = None,
               **props) -> rx.Component:
    return labelled(errors, label, name, ui.input(id=name, name=name, **props), hint)


def text_area(errors: rx.Var, label: str, name: str, hint: str | None = None,
              **props) -> rx.Component:
    return labelled(errors, label, name, ui.text_area(id=name, name=name, **props), hint)


def select(errors: rx.Var, label: str, name: str, options: dict[str, str]) -> rx.Component:
    """A native select over fixed options whose labels are message ids."""
    return labelled(errors, label, name, ui.select(
        rx.el.option(T("Choose…"), value=""),
        *[rx.el.option(T(text), value=value) for value, text in options.items()],
        id=name, name=name,
    ))


def dynamic_select(errors: rx.Var, label: str, name: str, options: rx.Var) -> rx.Component:
    """A native select over ``[{"id":…, "name":…}]`` options coming from the state."""
    return labelled(errors, label, name, ui.select(
        rx.el.option(T("Choose…"), value=""),
        rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])),
        id=name, name=name,
    ))


def checkbox(errors: rx.Var, label: str, name: str, default: bool = False) -> rx.Component:
    """A checkbox line (ui.checkbox) with the state's error for ``name`` below it."""
    line = ui.checkbox(T(label), name, default)
    _invalid_when_in_error(line.children[0], errors, name)
    return rx.el.div(line, error_for(errors, name), class_name="field-group")


PHOTO_TYPES = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}


def photo_upload(upload_id: str, label: str, on_drop) -> rx.Component:
    """A one-photo picker (a button); its hidden file input gets ``label`` as its name,
    since rx.upload builds that input itself and screen readers announce it unnamed."""
    upload = rx.upload(
        ui.button(T("Choose a photo"), type="button", variant="soft"),
        id=upload_id, accept=PHOTO_TYPES, max_files=1, multiple=False, no_drag=True,
        on_drop=on_drop, border="none", padding="0",
    )
    _name_file_inputs(upload, T(label))
    return upload


def _name_file_inputs(component: rx.Component, name: rx.Var) -> None:
    for child in component.children:
        if getattr(child, "tag", None) == "input":
            child.custom_attrs["aria-label"] = name
        _name_file_inputs(child, name)
