"""The design system's CSS inlined in every page's head (components/inline_css.py)."""

from __future__ import annotations

import re

from heurecivique_app.components.inline_css import ASSETS, SHEETS, minified, stylesheet_text

_STRING = re.compile(r'"[^"\n]*"|\'[^\'\n]*\'')


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_minifying_drops_comments_and_space_runs_only() -> None:
    css = "/* tokens */\n:root {\n  --a: 1px;\n}\n\n.a  > .b { content: \"x y\"; }\n"
    assert minified(css) == ':root { --a: 1px; } .a > .b { content: "x y"; }'


def test_the_sheets_strings_survive_minifying() -> None:
    # The minifier is only safe while no string holds a comment opener or a run of spaces.
    for name in SHEETS:
        css = (ASSETS / name).read_text(encoding="utf-8")
        for string in _STRING.findall(_without_comments(css)):
            assert "/*" not in string and not re.search(r"\s\s", string), (name, string)


def test_every_rule_of_both_sheets_is_inlined() -> None:
    text = stylesheet_text()
    assert "/*" not in text and "</style" not in text.lower()
    for name in SHEETS:
        css = _without_comments((ASSETS / name).read_text(encoding="utf-8"))
        selectors = re.findall(r"^([.#a-z][^{\n]*)\{", css, flags=re.M)
        assert selectors, name
        for selector in selectors:
            assert " ".join(selector.split()) in text, (name, selector)
