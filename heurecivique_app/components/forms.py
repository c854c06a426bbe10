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
    # The id as a plain attribute: Reflex gives every ``id=`` a React ref (a hook and a
    # line of JavaScript each), and no script reads these messages; about ten per form page.
    return rx.cond(
        errors.contains(name),
        ui.text(errors[name], color_scheme="red", size="2", role="alert",
                custom_attrs={"id": f"{name}-error"}),
    )


def _invalid_when_in_error(control: rx.Component, errors: rx.Var, name: str) -> rx.Component:
    """Screen readers announce the field as invalid and read its message with it."""
    failed = errors.contains(name)
    control.custom_attrs.update({"aria-invalid": rx.cond(failed, "true", "false"),
                                 "aria-describedby": rx.cond(failed, f"{name}-error", None)})
    return control


def labelled(errors: rx.Var, label: str, name: str, control: rx.Component) -> rx.Component:
    return ui.vstack(rx.el.label(T(label), html_for=name),
                     _invalid_when_in_error(control, errors, name), error_for(errors, name),
                     spacing="1", width="100%")


def text_input(errors: rx.Var, label: str, name: str, **props) -> rx.Component:
    return labelled(errors, label, name, ui.input(id=name, name=name, width="100%", size="3",
                                                  **props))


def text_area(errors: rx.Var, label: str, name: str, **props) -> rx.Component:
    return labelled(errors, label, name, ui.text_area(id=name, name=name, width="100%",
                                                      **props))


def select(errors: rx.Var, label: str, name: str, options: dict[str, str]) -> rx.Component:
    """A native select over fixed options whose labels are message ids."""
    return labelled(errors, label, name, rx.el.select(
        rx.el.option(T("Choose…"), value=""),
        *[rx.el.option(T(text), value=value) for value, text in options.items()],
        id=name, name=name, class_name="native-select",
    ))


def dynamic_select(errors: rx.Var, label: str, name: str, options: rx.Var) -> rx.Component:
    """A native select over ``[{"id":…, "name":…}]`` options coming from the state."""
    return labelled(errors, label, name, rx.el.select(
        rx.el.option(T("Choose…"), value=""),
        rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])),
        id=name, name=name, class_name="native-select",
    ))


def checkbox(errors: rx.Var, label: str, name: str, default: bool = False) -> rx.Component:
    return ui.vstack(
        rx.el.label(
            _invalid_when_in_error(
                rx.el.input(type="checkbox", name=name, id=name, default_checked=default,
                            class_name="touch-check"), errors, name),
            " ", T(label),
            html_for=name,
        ),
        error_for(errors, name),
        spacing="1",
    )


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
