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
