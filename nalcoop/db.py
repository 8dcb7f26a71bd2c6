"""Open the ledger: find it, refuse what is not ours, migrate it, and run journaled writes.

Only the standard library is imported here, so that read-only commands start fast;
sqlite-utils (for migrations) is imported only when a migration is pending.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nalcoop.errors import NalcoopError

# The number of migrations this nalcoop knows (nalcoop/migrations.py); a test keeps them equal.
SCHEMA_VERSION = 6
MIGRATION_SET = "nalcoop"
MIGRATIONS_TABLE = "_sqlite_migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BEGIN_ATTEMPTS = 3  # each waits up to the busy timeout
ENV_VAR = "NALCOOP_DB"


class LedgerError(NalcoopError):
    """The ledger file is missing, foreign, too new, or unusable."""


class DamagedLedger(LedgerError):
    """The file is a SQLite database whose pages are damaged."""


@dataclass(frozen=True)
class LedgerLocation:
    path: Path
    source: str  # which rule chose it: the option, the environment variable, or the default


def default_ledger_path() -> Path:
    """The per-user default: the platform's data directory, then nalcoop/ledger.db.

    Linux and other Unix: $XDG_DATA_HOME/nalcoop/ledger.db (~/.local/share/nalcoop/ledger.db);
    macOS: ~/Library/Application Support/nalcoop/ledger.db;
    Windows: %APPDATA%\\nalcoop\\ledger.db.
    """
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "nalcoop" / "ledger.db"


def locate(cli_value: str | Path | None) -> LedgerLocation:
    if cli_value:
        return LedgerLocation(Path(cli_value).expanduser(), "option --db")
    env_value = os.environ.get(ENV_VAR)
    if env_value:
        return LedgerLocation(Path(env_value).expanduser(), f"environment variable {ENV_VAR}")
    return LedgerLocation(default_ledger_path(), "per-user default")


def probe(path: Path) -> int | None:
    """Check, without writing anything, that `path` is a nalcoop ledger this version can open.

    Returns its schema version, or None when the file does not exist or is empty.
    """
    if path.is_dir():
        raise LedgerError(f"{path} is a directory, not a ledger file; give a file such as {path / 'ledger.db'}")
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise LedgerError(f"cannot read {path}: {exc.strerror}") from None
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise LedgerError(f"{path} is not a SQLite file, so not a nalcoop ledger; check the --db path")
    # immutable=1: no locks, no -wal or -shm file is created beside a foreign file. But a -wal
    # file already there holds committed pages (after a crash, perhaps mid-checkpoint, the main
    # file alone can look damaged): then read through it, read-only.
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    try:
        reader = sqlite3.connect(uri, uri=True)
        try:
            names = _applied_migrations(reader)
        finally:
            reader.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc):
            raise DamagedLedger(
                f"{path} is damaged ({exc}); restore a backup with `nalcoop restore FILE` "
                f"(automatic backups are in {path.name}.backups/ beside it)"
            ) from None
        raise LedgerError(f"{path} is not a readable SQLite database ({exc}); check the --db path") from None
    if names is None:
        raise LedgerError(
            f"{path} is a SQLite database but not a nalcoop ledger; nalcoop will not touch it "
            "(choose another --db path for a new ledger)"
        )
    version = schema_version_of(names)
    if version > SCHEMA_VERSION:
        raise _too_new(path, version)
    return version


def _too_new(path: Path, version: int) -> LedgerError:
    from nalcoop import __version__

    return LedgerError(
        f"{path} was written by a newer nalcoop (ledger schema version {version}); "
        f"this nalcoop {__version__} knows schema versions up to {SCHEMA_VERSION}: upgrade nalcoop"
    )


def _applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    exists = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if not exists:
        return None
    rows = conn.execute(
        f"select name from {MIGRATIONS_TABLE} where migration_set = ? order by id", [MIGRATION_SET]
    ).fetchall()
    return [name for (name,) in rows] if rows else None


def schema_version_of(migration_names: list[str]) -> int:
    """Migrations are named NNNN_description; the version is the highest NNNN applied."""
    numbers = [int(name.split("_", 1)[0]) for name in migration_names if name[:4].isdigit()]
    return max(numbers, default=0)


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600), whatever the umask.

    SQLite gives the -wal and -shm files it makes beside a database the database's own mode.
    """
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


class LedgerConnection(sqlite3.Connection):
    """A sqlite3 connection that can carry per-ledger caches (the council name index)."""

    name_index: tuple | None = None


class Ledger:
    """An open ledger: a sqlite3 connection plus the journaled-write discipline."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self._command_id: int | None = None
        conn.create_function("nalcoop_command", 0, self._current_command, deterministic=False)

    def _current_command(self) -> int | None:
        return self._command_id

    @property
    def current_command(self) -> int | None:
        """The journal id of the write under way, if any."""
        return self._command_id

    @classmethod
    def open(cls, path: Path, *, create: bool = False, backup_before_migration: bool = True) -> Ledger:
        version = probe(path)
        if version is None and not create:
            raise LedgerError(
                f"no ledger at {path}; create one with `nalcoop init` "
                f"(or point --db or {ENV_VAR} at an existing ledger)"
            )
        if version is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.exists():
                    create_private_file(path)
            except OSError as exc:
                raise LedgerError(f"cannot create {path}: {exc.strerror}") from None
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, factory=LedgerConnection
            )
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot open {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("pragma foreign_keys = on")
        if version is None:
            conn.execute("pragma journal_mode = wal")
        ledger = cls(path, conn)
        if version is not None:
            # The probe read the main file only; the live connection also sees a -wal file.
            version = ledger.schema_version
            if version > SCHEMA_VERSION:
                conn.close()
                raise _too_new(path, version)
        if version is not None and version < SCHEMA_VERSION and backup_before_migration:
            from nalcoop.backup import automatic_backup

            automatic_backup(path, f"before-upgrade-to-schema-{SCHEMA_VERSION}")
        if version is None or version < SCHEMA_VERSION:
            ledger.migrate()
        return ledger

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return schema_version_of(_applied_migrations(self.conn) or [])

    def migrate(self) -> list[str]:
        """Apply every pending migration in one transaction; return the names applied."""
        from nalcoop.migrations import apply_pending

        self._begin_immediate()
        try:
            applied = apply_pending(self.conn)
            self.conn.execute("commit")
        except BaseException:
            self.conn.execute("rollback")
            raise
        return applied

    @contextmanager
    def command(self, command_line: str, by: str, *, dry_run: bool = False) -> Iterator[int]:
        """One journaled write: a single immediate transaction that every trigger records under.

        Yields the journal command id. On error, or with dry_run, nothing is kept. A command
        that changed no row leaves no journal entry.
        """
        if self._command_id is not None:
            raise RuntimeError("journaled commands do not nest")
        conn = self.conn
        self._begin_immediate()
        try:
            at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
            cursor = conn.execute(
                "insert into journal_commands (at, by, command) values (?, ?, ?)",
                [at, by, command_line],
            )
            self._command_id = cursor.lastrowid
            yield self._command_id
            if dry_run:
                conn.execute("rollback")
                return
            changed = conn.execute(
                "select 1 from journal_changes where command_id = ? limit 1", [self._command_id]
            ).fetchone()
            # A command that changed nothing leaves the file exactly as it was: no journal entry,
            # not even a committed empty transaction.
            conn.execute("commit" if changed else "rollback")
        except BaseException:
            if conn.in_transaction:
                conn.execute("rollback")
            raise
        finally:
            self._command_id = None

    def _begin_immediate(self) -> None:
        """Take the write lock now, not at the first write: waits up to the busy timeout, then
        retries a bounded number of times before saying the ledger is busy."""
        for attempt in range(BEGIN_ATTEMPTS):
            try:
                self.conn.execute("begin immediate")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == BEGIN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def counts(self) -> dict[str, int]:
        tables = [
            row[0]
            for row in self.conn.execute(
                "select name from sqlite_master where type = 'table' "
                "and name not like 'sqlite_%' and name not like '\\_%' escape '\\' order by name"
            )
        ]
        return {name: self.conn.execute(f'select count(*) from "{name}"').fetchone()[0] for name in tables}
