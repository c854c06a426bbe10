"""Background work: the job table's queue, the runner and the registry of job kinds.

Never imports reflex: the runner is started by the app as a lifespan task of each
backend worker (:func:`run_jobs`), by ``python -m heurecivique_app.jobs`` as a
process of its own, or by tests and benchmarks directly.
"""

from __future__ import annotations

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
    await build_runner().run_forever()
