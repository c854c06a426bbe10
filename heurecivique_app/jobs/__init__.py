"""Background work: the job table's queue, the runner and the registry of job kinds.

Never imports reflex: the runner is started by the app as a lifespan task of each
backend worker (:func:`run_jobs`), by ``python -m heurecivique_app.jobs`` as a
process of its own, or by tests and benchmarks directly.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


def build_runner(settings=None, **options):
    """A runner over the configured database and mailer, with every job kind."""
    from heurecivique_app.adapters.db import get_engine
    from heurecivique_app.adapters.mail import mailer_from_settings
    from heurecivique_app.jobs.kinds import KINDS
    from heurecivique_app.jobs.runner import JobContext, Runner
    from heurecivique_app.settings import get_settings

    settings = settings or get_settings()
    ctx = JobContext(engine=get_engine(settings.database_url),
                     mailer=mailer_from_settings(settings), settings=settings)
    return Runner(ctx, KINDS, **options)


async def run_jobs() -> None:
    """Lifespan task: run due jobs in this worker until the app stops (HC_JOBS=0: never)."""
    from heurecivique_app.settings import get_settings

    if not get_settings().jobs_enabled:
        log.info("job runner disabled (HC_JOBS=0)")
        return
    runner = build_runner()
    await asyncio.to_thread(_push_keys, runner)
    await runner.run_forever()


def _push_keys(runner) -> None:
    """Create the site's VAPID pair at first start (race-free: see services/push.py)."""
    from heurecivique_app.jobs.push import site_keys

    try:
        site_keys(runner.ctx.engine, runner.ctx.settings)
    except Exception:  # the page's key route creates it later; the jobs must run anyway
        log.exception("could not create the web push keys")
