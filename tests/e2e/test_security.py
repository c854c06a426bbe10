"""Transport-level checks against the production server: origins, cookies."""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request


def _websocket_handshake_status(port: int, origin: str) -> int:
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        status_line = sock.recv(1024).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


def test_only_the_apps_own_origin_may_open_the_websocket(app_server):
    assert _websocket_handshake_status(app_server.port, app_server.url) == 101
    assert _websocket_handshake_status(app_server.port, "https://evil.example") != 101


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_login_sets_an_httponly_samesite_cookie_and_bad_passwords_get_no_cookie(app_server):
    opener = urllib.request.build_opener(_NoRedirect)

    def post(password: str):
        data = urllib.parse.urlencode({"email": "volontaire@vitre.demo", "password": password,
                                       "next": "/board"}).encode()
        try:
            opener.open(app_server.url + "/api/auth/login", data=data, timeout=10)
        except urllib.error.HTTPError as response:  # 303 is raised once redirects are off
            return response
        raise AssertionError("expected a redirect")

    good = post("heure-civique")
    assert good.code == 303 and good.headers["location"] == "/board"
    cookie = good.headers["set-cookie"]
    assert cookie.startswith("hc_session=") and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()

    bad = post("wrong")
    assert bad.code == 303 and bad.headers["location"].startswith("/login?error=credentials")
    assert bad.headers.get("set-cookie") is None


def test_login_refuses_a_post_from_another_site(app_server):
    request = urllib.request.Request(
        app_server.url + "/api/auth/login", method="POST",
        data=b"email=volontaire%40vitre.demo&password=heure-civique",
        headers={"Origin": "https://evil.example"},
    )
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as response:
        assert response.code == 403
    else:
        raise AssertionError("a cross-site login was accepted")
