"""A plain HTML form that the browser submits itself (Reflex's form always intercepts)."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML


class NativeForm(BaseHTML):
    """``<form action=... method=...>`` with no Reflex submit handler.

    Used where the server must answer with a full page and a Set-Cookie:
    login, logout.
    """

    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]


native_form = NativeForm.create


def auto_post(form_id: str, action: str, when: rx.Var[bool], **fields: rx.Var) -> rx.Component:
    """A hidden form that the browser posts by itself as soon as ``when`` turns true.

    How a handler leads to a full page load with a Set-Cookie (the sign-up's
    handoff, the logout after deleting an account) without ``rx.call_script``,
    whose code Reflex runs with ``eval``, which the CSP forbids (api/headers.py):
    the submit is a function compiled into the page's bundle, run on mount.
    """
    return rx.cond(
        when,
        native_form(
            *[rx.el.input(type="hidden", name=name, value=value) for name, value in fields.items()],
            action=action, method="post", id=form_id, hidden=True,
            on_mount=rx.call_function(f"() => document.getElementById('{form_id}').submit()"),
        ),
    )
