"""Open the ledger: refuse what is not ours, migrate it, and run journaled writes.

Only the standard library is imported here, so that read-only commands start fast;
sqlite-utils (for migrations) is imported only when a migration is pending.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.ledger.errors import DamagedLedger, LedgerError, NotALedger
from nalcoop.ledger.files import (
    BUSY_TIMEOUT_MS,
    ENV_VAR,
    GROUP_FILE,
    PRIVATE_FILE,
    Sharing,
    create_private_file,
    folder_lock,
    make_folders,
    refuse_network_filesystem,
    refuse_special_file,
    set_mode,
)
from nalcoop.ledger.schema import SCHEMA_VERSION, SQLITE_HEADER, applied_migrations, schema_version_of

BEGIN_ATTEMPTS = 3  # each waits up to the busy timeout


def probe(path: Path) -> int | None:
    """Check, without writing anything, that `path` is a nalcoop ledger this version can open.

    Returns its schema version, or None when the file does not exist, is empty, or is a ledger whose
    `init` was killed before its first transaction committed (an empty SQLite file: nalcoop's own).
    """
    if path.is_dir():
        raise LedgerError(_("{path} is a directory, not a ledger file; give a file such as {example}").format(
            path=path, example=path / "ledger.db"))
    refuse_special_file(path, "--db", "~/nalcoop/ledger.db")
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise LedgerError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise NotALedger(_("{path} is not a SQLite file, so not a nalcoop ledger; check the --db path").format(
            path=path))
    # immutable=1: no locks, no -wal or -shm file is created beside a foreign file. But a -wal
    # file already there holds committed pages (after a crash, perhaps mid-checkpoint, the main
    # file alone can look damaged): then read through it, read-only.
    try:
        has_wal = Path(f"{path}-wal").stat().st_size > 0
    except FileNotFoundError:  # none, or the last connection of a colleague's command removed it just now
        has_wal = False
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    try:
        reader = sqlite3.connect(uri, uri=True)
        try:
            names = applied_migrations(reader)
            if names is None and reader.execute("select count(*) from sqlite_master").fetchone()[0] == 0:
                return None  # no table at all: an init killed before it committed, which `init` completes
        finally:
            reader.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_CORRUPT"):
            raise DamagedLedger(_(
                "{path} is damaged ({error}); restore a backup with `nalcoop restore FILE` (automatic backups are in "
                "{folder}/ beside it)").format(path=path, error=exc, folder=f"{path.name}.backups")) from None
        raise NotALedger(_("{path} is not a readable SQLite database ({error}); check the --db path").format(
            path=path, error=exc)) from None
    if names is None:
        raise NotALedger(_("{path} is a SQLite database but not a nalcoop ledger; nalcoop will not touch it (choose "
                            "another --db path for a new ledger)").format(path=path))
    version = schema_version_of(names)
    if version > SCHEMA_VERSION:
        raise _too_new(path, version)
    return version


def _too_new(path: Path, version: int) -> LedgerError:
    from nalcoop import __version__

    return LedgerError(_(
        "{path} was written by a newer nalcoop (ledger schema version {version}); this nalcoop {nalcoop} knows schema "
        "versions up to {known}: upgrade nalcoop").format(path=path, version=version, nalcoop=__version__,
                                                          known=SCHEMA_VERSION))



class LedgerConnection(sqlite3.Connection):
    """A sqlite3 connection that can carry per-ledger caches (the council name index)."""

    name_index: tuple | None = None


class Ledger:
    """An open ledger: a sqlite3 connection plus the journaled-write discipline."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.upgraded_from: int | None = None  # the schema this open upgraded the ledger from, if it did
        self._command_id: int | None = None
        conn.create_function("nalcoop_command", 0, self._current_command, deterministic=False)

    def _current_command(self) -> int | None:
        return self._command_id

    @property
    def current_command(self) -> int | None:
        """The journal id of the write under way, if any."""
        return self._command_id

    @classmethod
    def open(cls, path: Path, *, create: bool = False, backup_before_migration: bool = True,
             sharing: Sharing | None = None) -> Ledger:
        version = probe(path)
        if version is None and not create:
            if path.exists() and path.stat().st_size:
                raise LedgerError(_("the ledger at {path} was never finished (its `nalcoop init` was interrupted); "
                                    "run `nalcoop init` to complete it").format(path=path))
            raise LedgerError(_("no ledger at {path}; create one with `nalcoop init` (or point --db or {variable} at "
                                "an existing ledger)").format(path=path, variable=ENV_VAR))
        refuse_network_filesystem(path)
        if version is None:
            try:
                make_folders(path.parent, sharing)
                if not path.exists():
                    create_private_file(path, sharing)
            except OSError as exc:
                raise LedgerError(_("cannot create {path}: {reason}; choose a folder you may write (--db)").format(
                    path=path, reason=exc.strerror)) from None
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, factory=LedgerConnection
            )
        except sqlite3.Error as exc:
            raise LedgerError(_("cannot open {path}: {error}").format(path=path, error=exc)) from None
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("pragma foreign_keys = on")
            if version is None:
                conn.execute("pragma journal_mode = wal")
        except sqlite3.Error:
            conn.close()
            raise
        ledger = cls(path, conn)
        if version is not None:
            # The probe read the main file only; the live connection also sees a -wal file.
            version = ledger.schema_version
            if version > SCHEMA_VERSION:
                conn.close()
                raise _too_new(path, version)
        if version is not None and version < SCHEMA_VERSION and backup_before_migration:
            from nalcoop.ledger.backup import automatic_backup

            automatic_backup(path, f"before-upgrade-to-schema-{SCHEMA_VERSION}")
        if version is None or version < SCHEMA_VERSION:
            ledger.migrate()
            if version is not None:
                ledger._settle_upgraded()
                ledger.upgraded_from = version
        return ledger

    def _settle_upgraded(self) -> None:
        """A ledger from an older nalcoop gets what a new one has: WAL (readers never wait for a writer) and
        owner-only files (schema 1 ledgers kept the umask's 0644), unless it is in group mode."""
        if self.conn.execute("pragma journal_mode").fetchone()[0].lower() != "wal":
            self.conn.execute("pragma journal_mode = wal")
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
            wanted = GROUP_FILE if mode & 0o060 == 0o060 else PRIVATE_FILE
            if mode != wanted:
                for file in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
                    if file.exists():
                        set_mode(file, wanted)
        except OSError:
            pass  # not the owner: the file keeps its mode, as before

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return schema_version_of(applied_migrations(self.conn) or [])

    def migrate(self) -> list[str]:
        """Apply every pending migration in one transaction; return the names applied."""
        from nalcoop.ledger.migrations import apply_pending

        with folder_lock(self.path):
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
            raise RuntimeError("journaled commands do not nest")  # not a message: a mistake in nalcoop's code
        with folder_lock(self.path):
            yield from self._command(command_line, by, dry_run=dry_run)

    def _command(self, command_line: str, by: str, *, dry_run: bool) -> Iterator[int]:
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
            if changed:
                from nalcoop.ledger.chain import seal

                seal(conn, self._command_id)
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
                busy = getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
                if not busy or attempt == BEGIN_ATTEMPTS - 1:
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
