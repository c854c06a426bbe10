#!/usr/bin/env python3
"""Fill deploy/nginx/heurecivique.conf.in for one site (standard library only).

    python3 deploy/nginx/render.py --public-url https://heure-civique.vitre.fr \\
        --workers 8001,8002 --web-root /opt/heurecivique/.web/build/client \\
        --cert /etc/letsencrypt/live/heure-civique.vitre.fr/fullchain.pem \\
        --key /etc/letsencrypt/live/heure-civique.vitre.fr/privkey.pem \\
        > /etc/nginx/sites-available/heurecivique

The e2e test (tests/e2e/test_proxy_rollout.py) calls :func:`render` with its own
ports and paths, so what it runs is this recipe.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

TEMPLATE = Path(__file__).resolve().parent / "heurecivique.conf.in"
FIELD = re.compile(r"@([A-Z_]+)@")


def upstream_line(port: int, down: bool = False) -> str:
    """One worker in the pool (deploy/rolling-restart.sh adds and removes `` down``).

    ``max_fails=0``: never marked failed. A stopped worker refuses at once and the
    request goes to the next one; marking it would leave a restarted worker out of
    the pool for ``fail_timeout``, and both out (502 for everyone) if the other
    stops meanwhile.
    """
    return f"    server 127.0.0.1:{port} max_fails=0{' down' if down else ''};"


def render(*, public_url: str, workers: list[int], web_root: str, cert: str, key: str,
           http_port: int = 80, https_port: int = 443, down: tuple[int, ...] = ()) -> str:
    """The site's configuration; ``workers`` are the backends' ports on 127.0.0.1,
    those in ``down`` taken out of the pool (a rolling restart drains them first)."""
    url = urlsplit(public_url)
    if url.scheme != "https" or not url.hostname or url.path.strip("/"):
        raise ValueError(f"the public URL must be https://<host>[:port], not {public_url!r}")
    if not workers:
        raise ValueError("at least one worker port")
    fields = {
        "PUBLIC_URL": public_url.rstrip("/"),
        "SERVER_NAME": url.hostname,
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "TLS_CERT": cert,
        "TLS_KEY": key,
        "WEB_ROOT": web_root.rstrip("/"),
        "UPSTREAM_SERVERS": "\n".join(upstream_line(port, port in down) for port in workers),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    missing = set(FIELD.findall(text)) - fields.keys()
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    return FIELD.sub(lambda m: fields[m.group(1)], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--public-url", required=True, help="https://<host> (HC_PUBLIC_URL)")
    parser.add_argument("--workers", required=True, help="the workers' ports, e.g. 8001,8002")
    parser.add_argument("--web-root", required=True, help="the build: <app>/.web/build/client")
    parser.add_argument("--cert", required=True, help="TLS certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="its private key (PEM)")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    args = parser.parse_args(argv)
    sys.stdout.write(render(
        public_url=args.public_url, web_root=args.web_root, cert=args.cert, key=args.key,
        workers=[int(p) for p in args.workers.split(",") if p.strip()],
        http_port=args.http_port, https_port=args.https_port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
