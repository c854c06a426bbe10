"""build_hooks.py: the pre-rendered pages' module preloads, lowered once, nothing else."""

import json

import pytest

from heurecivique_app.build_hooks import lower_preload_priority, rewrite_pages
from heurecivique_app.page_templates import prerender_templates, template_path

PAGE = ('<head><link as="style" href="/assets/a.css" rel="preload"/>'
        '<link rel="modulepreload" href="/assets/entry.client-X.js"/>'
        '<link rel="modulepreload" href="/assets/root-Y.js"/>'
        '<link href="/assets/a.css" rel="stylesheet" type="text/css"/></head>'
        '<body><script type="module" async="">import "/assets/root-Y.js";</script></body>')


def test_each_module_preload_is_lowered_and_nothing_else():
    lowered = lower_preload_priority(PAGE)
    assert lowered.count('<link rel="modulepreload" fetchpriority="low" href=') == 2
    # The stylesheet, its preload and the inline script (hashed by the CSP) are untouched.
    assert lowered.replace(' fetchpriority="low"', "") == PAGE


def test_a_second_run_changes_nothing():
    once = lower_preload_priority(PAGE)
    assert lower_preload_priority(once) == once


def test_every_page_of_the_build_is_rewritten(tmp_path):
    (tmp_path / "login").mkdir()
    (tmp_path / "login" / "index.html").write_text(PAGE)
    (tmp_path / "login.html").write_text(PAGE)
    (tmp_path / "sw.js").write_text('"<link rel=\\"modulepreload\\""')
    assert rewrite_pages(tmp_path) == 2
    assert 'fetchpriority="low"' in (tmp_path / "login" / "index.html").read_text()
    assert "fetchpriority" not in (tmp_path / "sw.js").read_text()
    assert rewrite_pages(tmp_path) == 0


@pytest.mark.parametrize(("route", "template"), [
    ("c/[slug]", "/c/_"), ("/missions/[mission_id]", "/missions/_"),
    ("console/volunteers/[volunteer_id]", "/console/volunteers/_"),
    ("login", None), ("index", None), ("docs/[[...splat]]", None),
])
def test_a_dynamic_route_has_a_template_path(route, template):
    assert template_path(route) == template


REACT_ROUTER = ('export default {"basename": "/", "future": {"unstable_optimizeDeps": true}, '
                '"ssr": false, "prerender": true, "build": "build"};')


def test_the_templates_are_pre_rendered_beside_the_static_pages():
    config = prerender_templates(REACT_ROUTER, ["login", "c/[slug]", "missions/[mission_id]"])
    first, second, third = config.strip().splitlines()
    kept = json.loads(first.removeprefix("const config = ").removesuffix(";"))
    assert kept == {"basename": "/", "future": {"unstable_optimizeDeps": True}, "ssr": False,
                    "build": "build"}
    assert second == ('config.prerender = ({getStaticPaths}) => '
                      '[...getStaticPaths(), ...["/c/_", "/missions/_"]];')
    assert third == "export default config;"


def test_without_pre_rendering_or_dynamic_routes_the_config_is_kept():
    development = REACT_ROUTER.replace('"prerender": true, ', "")
    assert prerender_templates(development, ["c/[slug]"]) == development
    assert prerender_templates(REACT_ROUTER, ["login"]) == REACT_ROUTER
