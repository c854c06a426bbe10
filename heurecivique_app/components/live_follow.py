"""Per-viewer follow-up of a public live broadcast, asked for by the viewer's own tab.

The live hub (realtime/live.py) sends one public payload per room, stamped with
``live_version``. Some viewers also hold private data that the change may concern
(a volunteer on a waiting list who may just have been promoted). Rather than
rendering each viewer's private state on the server for every broadcast, the tab
of such a viewer, and only it, asks for its own refresh when the version changes:
the server then answers from the session cookie, like any other event.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import LiteralVar, Var, VarData
from reflex_components_core.base.fragment import Fragment


class OnLiveVersion(Fragment):
    """Renders nothing; sends ``then`` each time ``version`` changes while ``when`` holds."""

    version: Var[str]
    when: Var[bool]
    then: Var[Any]

    @classmethod
    def create(cls, *, version: Var, when: Var, then: rx.EventHandler) -> rx.Component:
        chain = rx.EventChain.create(then, args_spec=lambda: [], key="then")
        return super().create(version=version, when=when, then=LiteralVar.create(chain))

    def _exclude_props(self) -> list[str]:
        return ["version", "when", "then"]

    def add_hooks(self) -> list[str | Var]:
        # "" is the version before any broadcast: the page's own load already read everything.
        code = (f"useEffect(() => {{ if ({self.version!s} !== \"\" && {self.when!s}) "
                f"{{ ({self.then!s})(); }} }}, [{self.version!s}]);")
        return [Var(code, _var_data=VarData.merge(
            self.version._get_all_var_data(), self.when._get_all_var_data(),
            self.then._get_all_var_data(),
            VarData(imports={"react": [ImportVar(tag="useEffect")]})))]


on_live_version = OnLiveVersion.create
