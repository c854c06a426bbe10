"""deploy/nginx/render.py: the site template filled for one deployment (the e2e test
tests/e2e/test_proxy_rollout.py runs what it renders behind nginx)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("hc_nginx_render", ROOT / "deploy/nginx/render.py")
render_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_site)

SITE = dict(public_url="https://heure-civique.vitre.fr", workers=[8001, 8002],
            web_root="/opt/heurecivique/.web/build/client/", cert="/etc/tls/c.pem",
            key="/etc/tls/k.pem")


def test_every_field_is_filled() -> None:
    site = render_site.render(**SITE)
    assert not re.search(r"@[A-Z_]+@", site)
    assert "server_name heure-civique.vitre.fr;" in site
    assert "return 301 https://heure-civique.vitre.fr$request_uri;" in site
    assert "root /opt/heurecivique/.web/build/client;" in site
    assert "ssl_certificate     /etc/tls/c.pem;" in site
    assert re.findall(r"listen (\S+)", site) == ["80;", "[::]:80;", "443", "[::]:443"]


def test_hashed_files_are_immutable_only_when_found() -> None:
    site = render_site.render(**SITE)
    assets = re.search(r"location /assets/ \{(.*?)\}", site, re.S).group(1)
    assert "add_header Cache-Control $hc_asset_cache always;" in assets
    rule = re.search(r"map \$status \$hc_asset_cache \{(.*?)\}", site, re.S).group(1)
    assert dict(re.findall(r"^\s*(\S+)\s+\"([^\"]*)\";", rule, re.M)) == {
        "200": "public, max-age=31536000, immutable",
        "304": "public, max-age=31536000, immutable",
        "default": "no-store"}  # a 404 kept a year would break that name
    # The rest (pages, sw.js, /api/) keeps the workers' own Cache-Control.
    directives = [line for line in site.splitlines() if not line.strip().startswith("#")]
    assert [line for line in directives if "Cache-Control" in line] == [
        "        add_header Cache-Control $hc_asset_cache always;"]


def test_workers_and_the_ones_out_of_the_pool() -> None:
    site = render_site.render(**SITE, down=(8001,))
    assert re.findall(r"^\s*server 127\.0\.0\.1:.*$", site, re.M) == [
        "    server 127.0.0.1:8001 max_fails=0 down;", "    server 127.0.0.1:8002 max_fails=0;"]
    # deploy/rolling-restart.sh edits exactly these lines.
    script = (ROOT / "deploy/rolling-restart.sh").read_text()
    assert 'line="server 127.0.0.1:$1 max_fails=0"' in script


@pytest.mark.parametrize("url", ["http://heure-civique.vitre.fr", "https://", "https://h/app"])
def test_only_an_https_site_root(url: str) -> None:
    with pytest.raises(ValueError):
        render_site.render(**{**SITE, "public_url": url})


def test_the_command_line_prints_the_site() -> None:
    done = subprocess.run(
        ["python3", str(ROOT / "deploy/nginx/render.py"), "--public-url", SITE["public_url"],
         "--workers", "8001,8002", "--web-root", SITE["web_root"], "--cert", SITE["cert"],
         "--key", SITE["key"]], capture_output=True, text=True, check=True)
    assert done.stdout == render_site.render(**SITE)
