"""``python -m heurecivique_app.jobs [--until-idle]``: a job worker as a process of its own.

Settings come from the environment, as for the app. ``--until-idle`` runs the due
jobs and exits (a cron job, the tests); otherwise it runs until stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import timedelta

from heurecivique_app.jobs import build_runner
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import logs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m heurecivique_app.jobs")
    parser.add_argument("--until-idle", action="store_true", help="exit when nothing is due")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--lease-s", type=float, default=300.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    logs.configure_logging(fmt=settings.log_format, level=settings.log_level)
    runner = build_runner(batch=args.batch, lease=timedelta(seconds=args.lease_s))
    if args.until_idle:
        print(runner.run_until_idle(), flush=True)
    else:
        asyncio.run(runner.run_forever())


if __name__ == "__main__":
    main()
