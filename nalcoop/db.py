"""Open the ledger: find it, refuse what is not ours, migrate it, and run journaled writes.

Only the standard library is imported here, so that read-only commands start fast;
sqlite-utils (for migrations) is imported only when a migration is pending.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nalcoop.errors import NalcoopError

# The number of migrations this nalcoop knows (nalcoop/migrations.py); a test keeps them equal.
SCHEMA_VERSION = 7
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


def _special_kind(mode: int) -> str | None:
    for test, kind in ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "special file"


def refuse_special_file(path: Path, what: str, example: str) -> None:
    """A FIFO would hang the command, a device (/dev/null) would swallow or replace what is written: refuse
    anything that exists and is not a regular file or a folder, before opening it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        return
    kind = _special_kind(mode)
    if kind:
        raise LedgerError(f"{path} is a {kind}, not a regular file; give {what} a file such as {example}")


def probe(path: Path) -> int | None:
    """Check, without writing anything, that `path` is a nalcoop ledger this version can open.

    Returns its schema version, or None when the file does not exist, is empty, or is a ledger whose
    `init` was killed before its first transaction committed (an empty SQLite file: nalcoop's own).
    """
    if path.is_dir():
        raise LedgerError(f"{path} is a directory, not a ledger file; give a file such as {path / 'ledger.db'}")
    refuse_special_file(path, "--db", "~/nalcoop/ledger.db")
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
            if names is None and reader.execute("select count(*) from sqlite_master").fetchone()[0] == 0:
                return None  # no table at all: an init killed before it committed, which `init` completes
        finally:
            reader.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) \
                and "malformed" in str(exc):
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


PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
GROUP_FILE, GROUP_FOLDER = 0o660, 0o2770  # group mode: the group may read and write; new files take the group


@dataclass(frozen=True)
class Sharing:
    """Who may use a ledger's files: its owner only, or (group mode) a named group as well."""

    file_mode: int = PRIVATE_FILE
    folder_mode: int = PRIVATE_FOLDER
    gid: int | None = None

    @classmethod
    def of(cls, ledger_path: Path) -> Sharing:
        """A ledger whose file the group may write is in group mode: its copies and folders follow it."""
        try:
            info = os.stat(ledger_path)
        except OSError:
            return cls()
        if info.st_mode & 0o060 == 0o060:
            return cls(GROUP_FILE, GROUP_FOLDER, info.st_gid)
        return cls()

    def apply(self, path: Path, *, folder: bool = False) -> None:
        set_mode(path, self.folder_mode if folder else self.file_mode)
        if self.gid is not None and hasattr(os, "chown"):
            os.chown(path, -1, self.gid)
            if folder:
                set_mode(path, self.folder_mode)  # chown clears the setgid bit on some systems


def set_mode(path: Path | int, mode: int) -> None:
    """chmod through what the platform has: os.fchmod is missing on Windows before Python 3.13, and there
    only the read-only bit means anything."""
    if isinstance(path, int):
        if hasattr(os, "fchmod"):
            os.fchmod(path, mode)
        return
    os.chmod(path, mode)


def make_folders(folder: Path, sharing: Sharing | None = None) -> None:
    """Create `folder` and any missing parent with the ledger's folder mode (0700, or 2770 in group mode),
    whatever the umask: a folder made 0777 under umask 000 would let anyone replace the ledger."""
    sharing = sharing or Sharing()
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        created.mkdir(mode=0o700, exist_ok=True)
        sharing.apply(created, folder=True)


def create_private_file(path: Path, sharing: Sharing | None = None) -> None:
    """Create an empty file readable and writable by its owner only (0600; 0660 and the group's in group
    mode), whatever the umask.

    SQLite gives the -wal and -shm files it makes beside a database the database's own mode.
    """
    sharing = sharing or Sharing()
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, sharing.file_mode)
    try:
        set_mode(descriptor, sharing.file_mode)
    finally:
        os.close(descriptor)
    if not hasattr(os, "fchmod") or sharing.gid is not None:
        sharing.apply(path)


# Filesystems on which SQLite's locking (and so WAL) cannot be trusted: sqlite.org/wal.html, "WAL does not
# work over a network filesystem". FUSE ones named by their driver (fuse.sshfs).
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "9p", "afs", "ceph",
                       "glusterfs", "lustre", "gpfs", "davfs", "ncpfs", "coda", "beegfs", "orangefs", "fuse.sshfs",
                       "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.davfs2", "fuse.glusterfs", "fuse.cephfs"}
MOUNTS_FILE = "/proc/mounts"
NETWORK_ENV_VAR = "NALCOOP_ALLOW_NETWORK_FS"


def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem holding `path` (its folder when it does not exist yet): Linux's mount table,
    Windows' drive type; None where the platform does not say."""
    folder = path if path.is_dir() else path.parent
    try:
        resolved = folder.resolve()
    except OSError:
        return None
    if sys.platform == "win32":
        text = str(resolved)
        if text.startswith("\\\\"):
            return "smb"
        try:
            import ctypes

            if ctypes.windll.kernel32.GetDriveTypeW(text[:3]) == 4:  # DRIVE_REMOTE
                return "smb"
        except (AttributeError, OSError):
            return None
        return None
    try:
        with open(MOUNTS_FILE, encoding="utf-8", errors="replace") as mounts:
            table = [line.split() for line in mounts]
    except OSError:
        return None
    best, kind = "", None
    for fields in table:
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = str(resolved) == point or str(resolved).startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def refuse_network_filesystem(path: Path) -> None:
    kind = filesystem_type(path)
    if kind is None:
        return
    if kind not in NETWORK_FILESYSTEMS or os.environ.get(NETWORK_ENV_VAR, "").strip() not in ("", "0"):
        return
    raise LedgerError(
        f"{path} is on a network filesystem ({kind}), where SQLite's locks do not hold and two colleagues' "
        "writes can destroy each other; keep the ledger on the local disk of one machine and let colleagues "
        f"run nalcoop there over SSH (README: Sharing a ledger). If only one machine ever opens it, set "
        f"{NETWORK_ENV_VAR}=1"
    )


@contextmanager
def folder_lock(ledger_path: Path, *, exclusive: bool = False, wait: float = BUSY_TIMEOUT_MS / 1000) -> Iterator[None]:
    """An advisory lock on the ledger's folder that every write holds shared and `restore` holds exclusively:
    a restore waits for the writes under way and no write starts until it is done, so a write that exited 0
    is either in the copy kept before the restore or in the restored ledger. (The folder, not a file beside
    the ledger: nothing new appears there. Where flock does not exist, Windows, there is no such lock.)"""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        descriptor = os.open(ledger_path.parent if str(ledger_path.parent) else ".", os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        kind = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        while True:
            try:
                fcntl.flock(descriptor, kind | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LedgerBusy(
                        "the ledger is busy: a restore is under way" if not exclusive else
                        "the ledger is busy: colleagues' commands kept writing; nothing was restored, try again"
                    ) from None
                time.sleep(0.01)
            except OSError:
                break  # a filesystem without flock: no lock, as on Windows
        yield
    finally:
        os.close(descriptor)  # releases the lock


class LedgerBusy(LedgerError):
    """Another command held the ledger longer than a command waits."""


class LedgerConnection(sqlite3.Connection):
    """A sqlite3 connection that can carry per-ledger caches (the council name index)."""

    name_index: tuple | None = None


class Ledger:
    """An open ledger: a sqlite3 connection plus the journaled-write discipline."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.registry_update = None  # what an upgrade added to the council registry (registry.UpdateReport)
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
             update_registry: bool = True,
             sharing: Sharing | None = None) -> Ledger:
        version = probe(path)
        if version is None and not create:
            if path.exists() and path.stat().st_size:
                raise LedgerError(f"the ledger at {path} was never finished (its `nalcoop init` was interrupted); "
                                  "run `nalcoop init` to complete it")
            raise LedgerError(
                f"no ledger at {path}; create one with `nalcoop init` "
                f"(or point --db or {ENV_VAR} at an existing ledger)"
            )
        refuse_network_filesystem(path)
        if version is None:
            try:
                make_folders(path.parent, sharing)
                if not path.exists():
                    create_private_file(path, sharing)
            except OSError as exc:
                raise LedgerError(f"cannot create {path}: {exc.strerror}; choose a folder you may write "
                                  "(--db)") from None
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, factory=LedgerConnection
            )
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot open {path}: {exc}") from None
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
            from nalcoop.backup import automatic_backup

            automatic_backup(path, f"before-upgrade-to-schema-{SCHEMA_VERSION}")
        if version is None or version < SCHEMA_VERSION:
            ledger.migrate()
            if version is not None:
                ledger._settle_upgraded()
                if update_registry:
                    ledger._update_registry(version)
        return ledger

    def _update_registry(self, version: int) -> None:
        """An older ledger gets the council registry this nalcoop ships (the 2026-07-01 map, say) with its
        upgrade, as its own journaled command that `nalcoop undo` can take back: figures as of today must not
        count councils that no longer exist. What was added is kept for the command to report."""
        import getpass

        from nalcoop import registry

        if not self.conn.execute("select 1 from registry_changes limit 1").fetchone():
            return  # never initialised: `nalcoop init` loads the whole registry
        try:
            who = getpass.getuser()
        except Exception:  # no login name in some containers
            who = os.environ.get("USER") or "unknown"
        with self.command(f"nalcoop registry update (on the upgrade from schema {version} to {SCHEMA_VERSION})",
                          who):
            report = registry.update_shipped(self.conn)
        self.registry_update = report

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
        return schema_version_of(_applied_migrations(self.conn) or [])

    def migrate(self) -> list[str]:
        """Apply every pending migration in one transaction; return the names applied."""
        from nalcoop.migrations import apply_pending

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
            raise RuntimeError("journaled commands do not nest")
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
                from nalcoop.journal import seal

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
