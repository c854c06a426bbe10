"""``python -m heurecivique_app.serve build|worker``: production behind a reverse proxy.

``reflex run --env prod --single-port`` builds the frontend at every start, for its
own port: fine for one process, wrong for N workers behind nginx (each restart
would rebuild the files the others serve). Here the two are apart:

- ``build``: the production frontend (``.web/build/client``), once per release,
  for the public address ``HC_PUBLIC_URL`` (the bundle names the address of the
  websocket: ``wss://<public host>/_event``);
- ``worker --port P``: one backend process on 127.0.0.1:P serving that build with
  the app's routes and security headers around it (pages need their
  Content-Security-Policy, so the proxy passes them on and serves only the hashed
  ``/assets/`` itself). One process per port, so a supervisor restarts them one
  at a time (deploy/systemd/heurecivique@.service).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from heurecivique_app.settings import get_settings


def build() -> int:
    """Export the frontend for ``HC_PUBLIC_URL``; returns reflex's exit code."""
    public_url = get_settings().public_url
    if not public_url:
        print("serve build: set HC_PUBLIC_URL (e.g. https://heure-civique.vitre.fr)",
              file=sys.stderr)
        return 2
    env = {**os.environ, "REFLEX_API_URL": public_url}
    return subprocess.run([sys.executable, "-m", "reflex", "export", "--frontend-only",
                           "--no-zip", "--env", "prod"], env=env, check=False).returncode


def worker(host: str, port: int) -> None:
    """Serve the built frontend and the backend on ``host:port`` in one process."""
    # One worker per process: the supervisor, not granian, runs N of them.
    os.environ["GRANIAN_WORKERS"] = "1"
    from reflex import constants
    from reflex.environment import environment
    from reflex.utils import exec as reflex_exec

    # What ``reflex run --env prod --single-port`` sets, minus its build.
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    reflex_exec.run_backend_prod(host, port, constants.LogLevel.INFO,
                                 mount_frontend_compiled_app=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heurecivique_app.serve")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build the production frontend for HC_PUBLIC_URL")
    run = commands.add_parser("worker", help="run one backend worker")
    run.add_argument("--port", type=int, required=True)
    run.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build()
    worker(args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
