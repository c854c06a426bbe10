"""Event kinds and audit actions are one closed vocabulary (domain.event_kinds)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.events import DomainEvent

PACKAGE = Path(__file__).resolve().parents[2] / "heurecivique_app"
# Where a kind or an action is named: the keyword, or else the positional argument.
NAMING_CALLS = {"audit": ("action", None), "AuditEntry": ("action", None),
                "DomainEvent": ("kind", 0), "emit_mission_event": ("kind", 1),
                "tell_referent": ("kind", 1), "_staff_move": ("kind", 4)}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def named_kinds() -> list[tuple[str, str]]:
    """Every string constant the package passes as a kind or an action, with its place."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node.func) not in NAMING_CALLS:
                continue
            keyword, position = NAMING_CALLS[_name(node.func)]
            args = [k.value for k in node.keywords if k.arg == keyword]
            if not args and position is not None and len(node.args) > position:
                args = [node.args[position]]
            for arg in args:
                # An f-string's pieces are no names ("report.{status}": its statuses are
                # members of their own).
                pieces = {id(c) for f in ast.walk(arg) if isinstance(f, ast.JoinedStr)
                          for c in ast.walk(f)}
                found += [(c.value, f"{path.name}:{c.lineno}") for c in ast.walk(arg)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)
                          and id(c) not in pieces]
    return found


def test_the_scan_finds_the_names() -> None:
    names = {name for name, _ in named_kinds()}
    assert {"mission.accepted", "volunteer.paused", "auth.login"} <= names


def test_every_named_kind_is_known() -> None:
    unknown = [(name, where) for name, where in named_kinds() if name not in set(EventKind)]
    assert unknown == []


def test_a_misspelt_kind_fails_where_it_is_made() -> None:
    with pytest.raises(ValueError, match="mission.acepted"):
        DomainEvent(kind="mission.acepted", commune_id=1)
    assert DomainEvent(kind="mission.accepted", commune_id=1).kind is EventKind.MISSION_ACCEPTED
