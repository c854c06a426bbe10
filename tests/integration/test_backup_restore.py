"""scripts/backup.sh then scripts/restore.sh: a seeded database and its photos come back whole.

On SQLite and on PostgreSQL: the demo data and a photo are backed up, restored
into an empty database (already migrated, as a fresh install leaves it),
migrated, and the app reads everything back: the same rows in every table, a
demo account logs in with its password, the console lists the same missions,
new rows get fresh ids, the photo has the same bytes. A second restore is
refused until ``--force``.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from scratch_db import ROOT, migrate, row_counts, scratch_pg_database

from heurecivique_app import manage
from heurecivique_app.adapters.backups import read_manifest
from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.adapters.readiness import check_migrations
from heurecivique_app.jobs import queue
from heurecivique_app.services import auth, selectors

PHOTO = bytes(range(256)) * 40  # any bytes: the restore must give the same back


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(source, target) URLs; the SQLite files live in their data folders, as by default."""
    if request.param == "sqlite":
        yield (f"sqlite:///{tmp_path / 'data-a' / 'heurecivique.db'}",
               f"sqlite:///{tmp_path / 'data-b' / 'heurecivique.db'}")
        return
    with scratch_pg_database() as source, scratch_pg_database() as target:
        yield source, target


def run(script: str, *args: str, url: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "HC_DATA_DIR": str(data_dir)}
    return subprocess.run(["bash", str(ROOT / "scripts" / script), *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def app_view(url: str, email: str, password: str) -> tuple[dict[str, int], list[int]]:
    """Rows per table, and what the app shows: a login, then the console's missions."""
    engine = make_engine(url)
    try:
        counts = row_counts(engine)
        with session_scope(engine) as session:
            outcome = auth.log_in(session, email=email, password=password, address="test")
            assert outcome.user is not None, "the demo account no longer logs in"
            missions = selectors.commune_missions(session, commune_id=outcome.user.commune_id)
        assert check_migrations(engine) is None
        return counts, sorted(card.id for card in missions)
    finally:
        engine.dispose()


def test_backup_then_restore_into_an_empty_database(databases: tuple[str, str],
                                                   tmp_path: Path) -> None:
    source, target = databases
    data_a, data_b = tmp_path / "data-a", tmp_path / "data-b"
    summary = manage.seed(source)
    staff = next(a for a in summary.accounts if a[1] != "volunteer")
    email, password = staff[0], staff[2]
    (data_a / "photos" / "reports").mkdir(parents=True)
    (data_a / "photos" / "reports" / "bench.jpg").write_bytes(PHOTO)
    (data_a / "outbox").mkdir()
    (data_a / "outbox" / "welcome.eml").write_text("Subject: hello\n\nbody\n")
    before = app_view(source, email, password)
    assert sum(before[0].values()) > 100 and before[1]

    made = run("backup.sh", "--output", str(tmp_path / "backups"), url=source, data_dir=data_a)
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.strip().splitlines()[-1])
    assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data inside
    manifest = read_manifest(archive)
    assert manifest.files == 2 and manifest.revisions
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"data/photos/reports/bench.jpg", "data/outbox/welcome.eml"} <= names
    # The SQLite file travels as its consistent copy only, never as a live file.
    assert not any(n.startswith("data/heurecivique.db") for n in names)

    migrate(target)  # a fresh install: the schema is there, no rows yet
    restored = run("restore.sh", str(archive), url=target, data_dir=data_b)
    assert restored.returncode == 0, restored.stderr
    assert "migrated" in restored.stdout

    after = app_view(target, email, password)
    assert after == before
    assert (data_b / "photos" / "reports" / "bench.jpg").read_bytes() == PHOTO
    assert (data_b / "outbox" / "welcome.eml").exists()
    engine = make_engine(target)
    try:  # sequences came back too: a new row gets a fresh id
        with session_scope(engine) as session:
            queue.enqueue(session, kind="mail", key="after-restore")
        assert row_counts(engine)["job"] == before[0]["job"] + 1
    finally:
        engine.dispose()

    refused = run("restore.sh", str(archive), url=target, data_dir=data_b)
    assert refused.returncode == 2 and "--force" in refused.stderr
    forced = run("restore.sh", "--force", str(archive), url=target, data_dir=data_b)
    assert forced.returncode == 0, forced.stderr
    assert app_view(target, email, password) == before  # replaced, not added to


def test_an_archive_fits_only_its_database_kind(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    source = f"sqlite:///{tmp_path / 'a.db'}"
    migrate(source)
    made = run("backup.sh", "--output", str(tmp_path), url=source, data_dir=tmp_path / "none")
    assert made.returncode == 0, made.stderr
    archive = made.stdout.strip().splitlines()[-1]
    wrong = run("restore.sh", archive, url="postgresql+psycopg://nobody@127.0.0.1:1/none",
                data_dir=tmp_path / "none")
    assert wrong.returncode == 1 and "sqlite" in wrong.stderr
