"""Backups of one deployment: the database and the data folder in one archive, and back.

An archive (``heurecivique-<UTC time>.tar.gz``, readable by its owner only) holds:

- ``manifest.json``: when, which database kind, the schema's alembic revision;
- ``database.pgdump``: PostgreSQL's ``pg_dump --format=custom`` (one consistent
  snapshot, taken while the app runs; restored with ``pg_restore``), or
  ``database.sqlite3``: a copy made with SQLite's online backup API (consistent
  too, while the app writes: the copy restarts if a write lands during it);
- ``data/``: the data folder (report and story photos, the e-mail outbox), less
  the SQLite database itself, whose consistent copy is above.

Restoring refuses a database that holds rows unless ``force`` is given, then
replaces its whole content with the archive's; the caller runs the migrations
next, so a backup of an older version comes back at the code's schema.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
DATA = "data"
FORMAT = 1
# Besides the database file: its journal files, which the online copy makes useless.
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why."""


class NotEmpty(BackupError):
    """The target database holds rows and ``force`` was not given."""


@dataclass(frozen=True)
class Manifest:
    """What an archive says about itself.

    Attributes:
        backend: "postgresql" or "sqlite".
        created_at: when the backup was taken (UTC, ISO 8601).
        revisions: the schema's alembic revision(s) at that time.
        files: how many files of the data folder it holds.
    """

    backend: str
    created_at: str
    revisions: tuple[str, ...]
    files: int


def backend_of(url: str) -> str:
    """The database kind of a URL, "postgresql" or "sqlite"; BackupError for any other.

    Args:
        url: a SQLAlchemy database URL.
    """
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise BackupError(f"unsupported database kind: {backend}")
    return backend


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL for pg_dump/pg_restore (no driver, no password) and their environment.

    The password goes through ``PGPASSWORD``: a command line is visible to every
    user of the machine (``ps``).
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database).resolve()


def _revisions(url: str) -> tuple[str, ...]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return ()
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return tuple(sorted(rows))
    finally:
        engine.dispose()


def _dump_database(url: str, into: Path) -> str:
    """Write the database's consistent copy into the folder ``into``; its file name."""
    parsed = make_url(url)
    if backend_of(url) == "postgresql":
        target, env = _libpq(parsed)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={into / PG_DUMP}", f"--dbname={target}"], env)
        return PG_DUMP
    source_path = _sqlite_path(parsed)
    if not source_path.is_file():
        raise BackupError(f"no SQLite database at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(into / SQLITE_COPY)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return SQLITE_COPY


def _data_files(data_dir: Path, skip: set[Path]) -> list[Path]:
    if not data_dir.is_dir():
        return []
    return sorted(p for p in data_dir.rglob("*")
                  if p.is_file() and not p.is_symlink()
                  and p.resolve() not in skip and not any(s in p.resolve().parents for s in skip))


def create_backup(*, url: str, data_dir: Path, out_dir: Path,
                  now: datetime | None = None) -> Path:
    """Back up the database at ``url`` and the data folder into one archive.

    Args:
        url: the database URL.
        data_dir: the data folder (photos, outbox).
        out_dir: where to write the archive (created if missing).
        now: the backup's time (its name); default now.

    Returns:
        The archive's path.
    """
    now = now or datetime.now(UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    skip = {out_dir.resolve()}
    if backend_of(url) == "sqlite":
        db = _sqlite_path(make_url(url))
        skip |= {db.with_name(db.name + side) for side in _SQLITE_SIDE_FILES}
    archive = out_dir / f"heurecivique-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="hc-backup-") as work:
        database_file = _dump_database(url, Path(work))
        files = _data_files(data_dir, skip)
        manifest = Manifest(backend=backend_of(url), created_at=now.isoformat(),
                            revisions=_revisions(url), files=len(files))
        (Path(work) / MANIFEST).write_text(json.dumps(manifest.__dict__, indent=2))
        # Personal data inside: only the owner may read the archive, from its first byte.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(Path(work) / database_file, arcname=database_file)
            for path in files:
                tar.add(path, arcname=f"{DATA}/{path.relative_to(data_dir).as_posix()}")
    partial.replace(archive)  # never a half-written archive under the final name
    return archive


def read_manifest(archive: Path) -> Manifest:
    """The manifest of an archive.

    Args:
        archive: a file made by :func:`create_backup`.
    """
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive} is not a HeureCivique backup (no manifest)")
        raw = json.loads(member.read())
    return Manifest(backend=raw["backend"], created_at=raw["created_at"],
                    revisions=tuple(raw["revisions"]), files=int(raw["files"]))


def rows_in(url: str) -> int:
    """How many rows the database's tables hold (alembic's bookkeeping left out).

    Args:
        url: the database URL (a missing SQLite file counts as empty).
    """
    if backend_of(url) == "sqlite" and not _sqlite_path(make_url(url)).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
            return sum(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                       for name in names)
    finally:
        engine.dispose()


def _restore_postgres(url: str, dump: Path) -> None:
    # Whatever the schema holds (an empty migrated schema, or rows with --force) goes
    # first: objects the dump does not know would clash with the migrations after.
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    target, env = _libpq(make_url(url))
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={target}", str(dump)], env)


def _restore_sqlite(url: str, copy: Path) -> None:
    path = _sqlite_path(make_url(url))
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # replaces every page of the target, WAL included
    finally:
        target.close()
        source.close()


def restore_backup(*, archive: Path, url: str, data_dir: Path, force: bool = False) -> Manifest:
    """Put an archive's database and data files back (the migrations are the caller's).

    Args:
        archive: a file made by :func:`create_backup`.
        url: the database to restore into (of the archive's kind).
        data_dir: the data folder to restore the files into (files of the same
            name are replaced, others left).
        force: replace a database that holds rows.

    Returns:
        The archive's manifest.

    Raises:
        NotEmpty: the database holds rows and ``force`` is False.
        BackupError: the archive does not fit (another database kind, no manifest).
    """
    manifest = read_manifest(archive)
    if manifest.backend != backend_of(url):
        raise BackupError(f"this archive holds a {manifest.backend} database, "
                          f"not a {backend_of(url)} one")
    if not force and (rows := rows_in(url)):
        raise NotEmpty(f"the database holds {rows} rows: restore with --force to replace them")
    with tempfile.TemporaryDirectory(prefix="hc-restore-") as work, \
            tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")  # no absolute paths, no "..", no devices
        if manifest.backend == "postgresql":
            _restore_postgres(url, Path(work) / PG_DUMP)
        else:
            _restore_sqlite(url, Path(work) / SQLITE_COPY)
        extracted = Path(work) / DATA
        if extracted.is_dir():
            data_dir.mkdir(parents=True, exist_ok=True)
            shutil.copytree(extracted, data_dir, dirs_exist_ok=True)
    return manifest
