"""build_hooks.py: the pre-rendered pages' module preloads, lowered once, nothing else."""

from heurecivique_app.build_hooks import lower_preload_priority, rewrite_pages

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
