"""Templates of dynamic routes: where the build pre-renders them, where the server finds them.

Plain Python (no Reflex), shared by the build's plugin (build_hooks.py) and the
server's page paths (api/page_paths.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

# The parameter's value in a dynamic route's template (``/missions/_``): no slug or
# id is "_", so no real page is ever hidden by a template.
TEMPLATE_SEGMENT = "_"
_PARAMETER = re.compile(r"^\[[^\[\].]+\]$")  # [slug], not [[...splat]]


def template_path(route: str) -> str | None:
    """``/c/_`` for the route ``c/[slug]``; None for a static route or a catch-all."""
    parts = route.strip("/").split("/")
    if not any(_PARAMETER.match(part) for part in parts):
        return None
    if any("[" in part and not _PARAMETER.match(part) for part in parts):
        return None
    return "/" + "/".join(TEMPLATE_SEGMENT if _PARAMETER.match(p) else p for p in parts)


def prerender_templates(config_js: str, routes: Iterable[str]) -> str:
    """React Router's config (``export default {...};``, as Reflex writes it) with the
    templates of the dynamic ``routes`` pre-rendered beside the static pages."""
    body = config_js.strip().removeprefix("export default").strip().removesuffix(";")
    config = json.loads(body)
    templates = sorted({path for route in routes if (path := template_path(route))})
    if config.get("prerender") is not True or not templates:  # dev mode, or nothing to add
        return config_js
    del config["prerender"]
    return (f"const config = {json.dumps(config)};\n"
            f"config.prerender = ({{getStaticPaths}}) => "
            f"[...getStaticPaths(), ...{json.dumps(templates)}];\n"
            "export default config;\n")
