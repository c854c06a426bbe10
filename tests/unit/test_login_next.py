"""The login POST keeps where the user was going, even when the page's script had not run."""

from __future__ import annotations

from starlette.requests import Request

from heurecivique_app.api.session import _next_of_referer


def _request(referer: str, host: str = "hc.example") -> Request:
    return Request({"type": "http", "method": "POST", "path": "/api/auth/login",
                    "headers": [(b"host", host.encode()), (b"referer", referer.encode())]})


def test_the_next_of_the_login_page_posted_from_is_used():
    assert _next_of_referer(_request("https://hc.example/login?next=/board")) == "/board"
    assert _next_of_referer(_request("https://hc.example/login/?next=/missions/3")) == "/missions/3"


def test_another_page_or_another_site_gives_nothing():
    assert _next_of_referer(_request("https://hc.example/signup?next=/board")) == ""
    assert _next_of_referer(_request("https://evil.example/login?next=/board")) == ""
    assert _next_of_referer(_request("")) == ""
