"""HeureCivique's design system: the app's components on plain HTML elements.

Each function draws one component as plain elements with classes from
``assets/ui.css`` (tokens at its top: the commune's colour, spacing, type scale,
system fonts). No component library travels to the browser: Radix Themes cost
every page 83 kB of gzipped CSS before it could paint (issue 16).

The keyword arguments follow the names the pages already used (``size``,
``spacing``, ``color_scheme``, ``variant``…) so a page reads the same; each
one becomes a class. Anything else (``id``, ``on_click``, ``aria_*``, ``style``,
``width``…) goes to the element unchanged.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_components_core.core.debounce import DebounceInput
from reflex_components_core.react_router.dom import ReactRouterLink

# The tone of a notice or badge from the colour names the pages use.
_TONES = {"red": "error", "tomato": "error", "crimson": "error", "green": "success",
          "grass": "success", "jade": "success", "amber": "warning", "orange": "warning",
          "yellow": "warning", "gray": "neutral", "slate": "neutral", "blue": "info",
          "indigo": "info", "violet": "info", "iris": "info", "cyan": "info"}
TONES = ("info", "success", "warning", "error", "neutral")


def _join(*names: Any) -> Any:
    """Class names joined by spaces; a Var among them makes a Var."""
    names = [name for name in names if isinstance(name, rx.Var) or name]
    if not any(isinstance(name, rx.Var) for name in names):
        return " ".join(names)
    joined: rx.Var = rx.Var.create("")
    for index, name in enumerate(names):
        piece = rx.Var.create(name).to(str)
        joined = piece if index == 0 else joined + " " + piece
    return joined


def _tone(color_scheme: Any, default: str = "info") -> Any:
    """The tone class for a colour name (a string or a Var holding one)."""
    if color_scheme is None:
        return f"tone-{default}"
    if isinstance(color_scheme, rx.Var):
        return rx.match(color_scheme, *[(name, f"tone-{tone}") for name, tone in _TONES.items()],
                        f"tone-{default}")
    return f"tone-{_TONES.get(color_scheme, default)}"


def _pop_class(props: dict, *names: Any) -> Any:
    return _join(*names, props.pop("class_name", None))


def _drop(props: dict, *names: str) -> None:
    """Forget the old component library's props that have no meaning here."""
    for name in names:
        props.pop(name, None)


# ---- Layout -----------------------------------------------------------------

def _flex(kind: str, children: tuple, spacing: str, align: str | None,
          justify: str | None, wrap: str | None, props: dict) -> rx.Component:
    _drop(props, "direction")
    classes = _pop_class(props, kind, f"gap-{spacing}", align and f"align-{align}",
                         justify and f"justify-{justify}", wrap == "wrap" and "wrap")
    return rx.el.div(*children, class_name=classes, **props)


def vstack(*children: Any, spacing: str = "3", align: str | None = None,
           justify: str | None = None, wrap: str | None = None, **props) -> rx.Component:
    """Children one below the other with a gap (``spacing`` 0-9)."""
    return _flex("stack", children, spacing, align, justify, wrap, props)


def hstack(*children: Any, spacing: str = "3", align: str | None = None,
           justify: str | None = None, wrap: str | None = None, **props) -> rx.Component:
    """Children side by side with a gap; ``wrap="wrap"`` lets them wrap on a phone."""
    return _flex("row", children, spacing, align, justify, wrap, props)


def box(*children: Any, **props) -> rx.Component:
    return rx.el.div(*children, class_name=_pop_class(props), **props)


def spacer() -> rx.Component:
    """Takes the free room of a row (pushes what follows to the end)."""
    return rx.el.div(class_name="spacer")


def grid(*children: Any, columns: Any = "1", spacing: str = "3", **props) -> rx.Component:
    """A grid of ``columns``: a number, or ``rx.breakpoints(initial=…, sm=…, md=…)``.

    ``sm`` applies from 768 px (a tablet held upright) and ``md`` from 1024 px.
    """
    _drop(props, "align", "justify")
    steps = dict(columns) if isinstance(columns, dict) else {"initial": columns}
    classes = [f"cols-{steps.pop('initial', '1')}"]
    classes += [f"{step}-cols-{count}" for step, count in steps.items()]
    return rx.el.div(*children, class_name=_pop_class(props, "grid", f"gap-{spacing}", *classes),
                     **props)


def card(*children: Any, size: str | None = None, variant: str | None = None,
         **props) -> rx.Component:
    """A bordered block (a mission, a form)."""
    return rx.el.div(*children, class_name=_pop_class(props, "card"), **props)


def pane(title: Any, count: Any, *children: Any, pane_id: str,
         shown_title: rx.Component | None = None, **props) -> rx.Component:
    """A pane of a dashboard: a region whose heading holds its count, and a body that
    scrolls on its own (focusable and named, so a keyboard scrolls it too).

    On a tablet the dashboard (``.dash`` in ui.css) gives every pane a share of the
    screen; on a phone the panes follow one another, each at most 22rem high.
    ``shown_title``, if given, is what the heading shows of ``title`` (a ``T_steady``
    that keeps the heading's height when the language changes).
    """
    heading_id = f"{pane_id}-heading"
    return rx.el.section(
        rx.el.h2(shown_title if shown_title is not None else rx.el.span(title), " ",
                 rx.el.span(count, class_name="pane-count"),
                 id=heading_id, class_name="pane-title"),
        rx.el.div(*children, class_name="pane-body", tab_index=0, role="group",
                  aria_label=title),
        aria_labelledby=heading_id, id=pane_id, class_name=_pop_class(props, "pane"), **props)


# ---- Text -------------------------------------------------------------------

def _text_classes(kind: str, size: Any, weight: Any, color_scheme: Any, align: Any,
                  props: dict) -> Any:
    _drop(props, "high_contrast", "trim")
    colour = None
    if color_scheme is not None:
        colour = _tone(color_scheme, "neutral") if isinstance(color_scheme, rx.Var) else (
            "muted" if color_scheme in ("gray", "slate") else _tone(color_scheme))
    return _pop_class(props, kind, size and f"size-{size}", weight and f"weight-{weight}",
                      colour, align and f"text-{align}")


def text(*children: Any, as_: str = "p", size: Any = None, weight: Any = None,
         color_scheme: Any = None, align: Any = None, **props) -> rx.Component:
    """A paragraph (or ``as_="span"``, ``"div"``…); ``size`` 1-9 on the type scale."""
    classes = _text_classes("text", size, weight, color_scheme, align, props)
    return getattr(rx.el, as_)(*children, class_name=classes, **props)


def heading(*children: Any, as_: str = "h1", size: Any = None, weight: Any = None,
            color_scheme: Any = None, align: Any = None, **props) -> rx.Component:
    """A heading ``h1``-``h6``; ``size`` 1-9 sets its look apart from its level."""
    classes = _text_classes("heading", size, weight, color_scheme, align, props)
    return getattr(rx.el, as_)(*children, class_name=classes, **props)


def strong(*children: Any) -> rx.Component:
    return rx.el.strong(*children)


def badge(*children: Any, color_scheme: Any = None, variant: str | None = None,
          size: str | None = None, **props) -> rx.Component:
    """A short status label, readable in every tone (4.5:1)."""
    _drop(props, "high_contrast", "radius")
    return rx.el.span(*children, class_name=_pop_class(props, "badge",
                                                       _tone(color_scheme, "neutral")), **props)


def callout(*children: Any, color_scheme: Any = None, tone: Any = None,
            **props) -> rx.Component:
    """A notice whose tone (info, success, warning, error) shows in colour and border.

    ``tone`` names it directly; ``color_scheme`` maps the older colour names.
    """
    _drop(props, "high_contrast", "icon", "variant", "size")
    tone_class = f"tone-{tone}" if isinstance(tone, str) else (
        rx.Var.create("tone-") + tone.to(str) if isinstance(tone, rx.Var)
        else _tone(color_scheme))
    return rx.el.div(*children, class_name=_pop_class(props, "notice", tone_class),
                     **props)


# ---- Actions ----------------------------------------------------------------

def button(*children: Any, variant: str = "solid", size: str = "2", color_scheme: Any = None,
           loading: Any = None, **props) -> rx.Component:
    """A button of 44 px at least; ``variant`` solid, soft, outline or ghost."""
    _drop(props, "high_contrast", "radius")
    danger = color_scheme is not None and not isinstance(color_scheme, rx.Var) and \
        _TONES.get(color_scheme) == "error"
    if loading is not None:
        props["aria_busy"] = loading
        props.setdefault("disabled", loading)
    return rx.el.button(*children, class_name=_pop_class(
        props, "btn", f"btn-{variant}", f"btn-size-{size}", danger and "btn-danger"), **props)


def link(*children: Any, href: Any = None, underline: str | None = None,
         is_external: Any = None, size: Any = None, weight: Any = None,
         color_scheme: Any = None, **props) -> rx.Component:
    """A link; app paths navigate on the client (no page load), like Reflex's own."""
    _drop(props, "high_contrast")
    classes = _pop_class(props, "link", underline and f"underline-{underline}",
                         size and f"size-{size}", weight and f"weight-{weight}")
    if is_external is not None:
        props["target"] = rx.cond(is_external, "_blank", "")
    attrs = props.pop("custom_attrs", {}) or {}  # e.g. reloadDocument, React Router's own
    if href is None:
        return rx.el.a(*children, href="#", class_name=classes, custom_attrs=attrs, **props)
    return ReactRouterLink.create(*children, to=href, class_name=classes, custom_attrs=attrs,
                                  **props)


# ---- Fields -----------------------------------------------------------------

def input(**props) -> rx.Component:  # noqa: A001 - the element's own name
    """A text field; a controlled one (value + on_change) is debounced, as Reflex's was."""
    _drop(props, "size", "variant", "radius", "color_scheme")
    return _debounced_if_controlled(rx.el.input(class_name=_pop_class(props, "field"), **props),
                                    props)


def text_area(**props) -> rx.Component:
    _drop(props, "size", "variant", "radius", "resize")
    return _debounced_if_controlled(
        rx.el.textarea(class_name=_pop_class(props, "field field-area"), **props), props)


def _debounced_if_controlled(element: rx.Component, props: dict) -> rx.Component:
    """A controlled field (value + on_change) waits for a pause in typing, as Reflex's did."""
    if props.get("value") is not None and props.get("on_change") is not None:
        return DebounceInput.create(element)
    return element


def _describe(control: rx.Component, hint_id: str | None, error_id: str,
              invalid: Any) -> rx.Component:
    """The control says it is invalid, and its screen reader reads the hint and error with it."""
    if invalid is None:
        if hint_id:
            control.custom_attrs["aria-describedby"] = hint_id
        return control
    described = f"{hint_id} {error_id}" if hint_id else error_id
    control.custom_attrs.update({
        "aria-invalid": rx.cond(invalid, "true", "false"),
        "aria-describedby": rx.cond(invalid, described, hint_id),
    })
    return control


def field_error(message: Any, error_id: str, when: Any = True) -> rx.Component:
    """A field's error below it, announced when it appears (``role="alert"``)."""
    # The id as a plain attribute: Reflex gives every ``id=`` a React ref (a hook and a
    # line of JavaScript each), and no script reads these messages.
    element = rx.el.p(message, class_name="field-error", role="alert",
                      custom_attrs={"id": error_id})
    return element if when is True else rx.cond(when, element)


def field(label: Any, control: rx.Component, *, control_id: str, hint: Any = None,
          error: Any = None, invalid: Any = None, **props) -> rx.Component:
    """A control with its label above, an optional hint, and its error below when ``invalid``.

    The control gets ``aria-invalid`` and ``aria-describedby`` (the hint, then the error:
    ``{control_id}-hint`` and ``{control_id}-error``).
    """
    hint_id = f"{control_id}-hint" if hint is not None else None
    error_id = f"{control_id}-error"
    parts = [rx.el.label(label, html_for=control_id, class_name="field-label")]
    if hint is not None:
        parts.append(rx.el.p(hint, class_name="field-hint", custom_attrs={"id": hint_id}))
    parts.append(_describe(control, hint_id, error_id, invalid))
    if invalid is not None:
        parts.append(field_error(error, error_id, invalid))
    return rx.el.div(*parts, class_name=_pop_class(props, "field-group"), **props)


def select(*options: Any, **props) -> rx.Component:
    """A native select (the phone's own picker) that looks like a field, with its chevron."""
    _drop(props, "size", "variant", "radius")
    return rx.el.select(*options, class_name=_pop_class(props, "field select"), **props)


def checkbox(label: Any, name: str, checked: Any = False, **props) -> rx.Component:
    """A checkbox inside its label: the whole line is a 44 px touch target."""
    box_props = {key: props.pop(key) for key in list(props) if key.startswith("aria")}
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=name, default_checked=checked,
                    class_name="check", **box_props),
        rx.el.span(label),
        html_for=name, class_name=_pop_class(props, "check-label"), **props)


def checkbox_group(legend: Any, *boxes: rx.Component, hint: Any = None,
                   **props) -> rx.Component:
    """Checkboxes that answer one question: a fieldset whose legend is the question."""
    parts = [rx.el.legend(legend, class_name="legend")]
    if hint is not None:
        parts.append(rx.el.p(hint, class_name="field-hint"))
    return rx.el.fieldset(*parts, *boxes, class_name=_pop_class(props, "fieldset"), **props)


# ---- Dialog -----------------------------------------------------------------

def dialog(opener: rx.Component, title: Any, *children: Any, dialog_id: str,
           **props) -> rx.Component:
    """A modal dialog (native ``<dialog>``) opened by ``opener``, a button.

    ``assets/pwa.js`` opens it with ``showModal()`` (the rest of the page turns inert)
    and loads ``assets/dialog.js``, which keeps Tab inside it; Escape (or a
    ``dialog_close`` button) closes it and focus goes back to the opener. Its ``title``
    is its accessible name. See components/pwa.py.
    """
    opener.custom_attrs.update({"data-dialog": dialog_id, "aria-haspopup": "dialog",
                                "aria-controls": dialog_id})
    title_id = f"{dialog_id}-title"
    return rx.fragment(
        opener,
        rx.el.dialog(
            rx.el.h2(title, class_name="dialog-title", custom_attrs={"id": title_id}),
            *children,
            class_name=_pop_class(props, "dialog"), aria_labelledby=title_id,
            custom_attrs={"id": dialog_id}, **props),
    )


def dialog_close(*children: Any, **props) -> rx.Component:
    """A button that closes its dialog (focus goes back to the opener)."""
    props.setdefault("variant", "outline")
    element = button(*children, type="button", **props)
    element.custom_attrs["data-dialog-close"] = "true"
    return element


# ---- Tables -----------------------------------------------------------------

def table(*children: Any, label: Any = None, **props) -> rx.Component:
    """A table in a region that scrolls sideways on a phone (focusable, so a keyboard can)."""
    _drop(props, "variant", "size")
    table_id = props.pop("id", None)
    wrap_props = {"role": "region", "aria_label": label} if label is not None else {}
    return rx.el.div(
        rx.el.table(*children, class_name="table", id=table_id),
        class_name=_pop_class(props, "table-wrap"), tab_index=0, **wrap_props, **props)


def thead(*children: Any, **props) -> rx.Component:
    return rx.el.thead(*children, **props)


def tbody(*children: Any, **props) -> rx.Component:
    return rx.el.tbody(*children, **props)


def tr(*children: Any, **props) -> rx.Component:
    return rx.el.tr(*children, **props)


def th(*children: Any, **props) -> rx.Component:
    props.setdefault("scope", "col")
    return rx.el.th(*children, **props)


def td(*children: Any, **props) -> rx.Component:
    return rx.el.td(*children, **props)


def skeleton(height: str = "4.5rem", count: int = 1, **props) -> rx.Component:
    """Grey blocks of a fixed height that hold the room of what the websocket brings."""
    return rx.el.div(*[rx.el.div(class_name="skeleton", style={"height": height})
                       for _ in range(count)],
                     class_name=_pop_class(props, "stack gap-3"), aria_hidden="true", **props)


# ---- Steps ------------------------------------------------------------------

def step_list(names: list[Any], current: rx.Var, label: Any, done: Any, **props) -> rx.Component:
    """A form's progress: its steps numbered, the one shown marked ``aria-current="step"``.

    ``names`` are the steps' labels in order, ``current`` the step shown (from 1),
    ``label`` the list's name and ``done`` what screen readers hear after a step done.
    On a phone only the numbers show; every name stays for screen readers.
    """
    def item(number: int, name: Any) -> rx.Component:
        return rx.el.li(
            rx.el.span(str(number), class_name="step-number", aria_hidden="true"),
            rx.el.span(name, class_name="step-name"),
            rx.cond(current > number, rx.el.span(" (", done, ")", class_name="sr-only")),
            class_name=rx.cond(current == number, "step step-current",
                               rx.cond(current > number, "step step-done", "step")),
            custom_attrs={"aria-current": rx.cond(current == number, "step", None)},
        )

    return rx.el.ol(*[item(number, name) for number, name in enumerate(names, 1)],
                    class_name=_pop_class(props, "steps"), aria_label=label, **props)
