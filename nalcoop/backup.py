"""Copies of the ledger: manual backups, automatic ones before risky work, and restoring one.

Every copy goes through SQLite's online backup API from a connection of its own, so it is a
consistent snapshot even while another nalcoop process writes (in WAL mode a reader sees the
last committed state and never blocks the writer). A copy is written to a temporary file
created owner-only (0600) in the destination folder and renamed into place, so a crash leaves
either no backup or a whole one, never half of one.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nalcoop.errors import NalcoopError

AUTO_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\d{6}Z)-(?P<reason>[a-z0-9-]+)(?P<suffix>\.[^.]*)?$")


class BackupError(NalcoopError):
    pass


def backups_folder(ledger_path: Path) -> Path:
    """Automatic backups live beside the ledger, in `<ledger file name>.backups/`."""
    return ledger_path.with_name(ledger_path.name + ".backups")


def copy_ledger(source: Path, destination: Path, *, overwrite: bool = False) -> Path:
    """Copy the ledger at `source` to `destination` as one self-contained file, owner-only (0600), or 0660
    and the ledger's group when the ledger is in group mode."""
    from nalcoop.db import LedgerError, Sharing, refuse_special_file

    destination = destination.expanduser()
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; give the backup a file name, e.g. {destination / 'ledger.db'}")
    try:
        refuse_special_file(destination, "the backup", "~/backups/nalcoop.db")
    except LedgerError as exc:
        raise BackupError(str(exc)) from None
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose another name or pass --force to replace it")
    folder = destination.parent if str(destination.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(f"the folder {folder} does not exist; create it first")
    if source.resolve() == destination.resolve():
        raise BackupError(f"{destination} is the ledger itself; give the backup another name")
    clear_leftovers(folder, ".nalcoop-backup-*.partial")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".nalcoop-backup-", suffix=".partial", dir=folder)
    except OSError as exc:
        raise BackupError(f"cannot write the backup in {folder}: {exc.strerror}; choose a folder you may "
                          "write to") from None
    try:
        with _held(handle):
            _online_copy(source, Path(temporary))
            Sharing.of(source).apply(Path(temporary))
            os.replace(temporary, destination)
    except BaseException:
        _remove_with_sidecars(Path(temporary))
        raise
    _fsync_folder(folder)
    return destination


@contextmanager
def _held(descriptor: int) -> Iterator[None]:
    """Hold a lock on a scratch file while it is being written (closing the descriptor releases it): a later
    clear_leftovers removes only scratch files nobody holds, those of a killed backup or restore."""
    try:
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        pass
    try:
        yield
    finally:
        os.close(descriptor)


LEFTOVER_AGE_SECONDS = 24 * 3600  # where locks do not exist (Windows): a scratch file older than a day


def clear_leftovers(folder: Path, pattern: str) -> list[Path]:
    """Remove scratch files a killed backup or restore left (a hidden full copy of the ledger)."""
    import time

    removed = []
    for leftover in folder.glob(pattern):
        try:
            import fcntl

            descriptor = os.open(leftover, os.O_RDONLY)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                abandoned = True
            except OSError:
                abandoned = False  # a backup or restore under way holds it
            finally:
                os.close(descriptor)
        except ImportError:
            abandoned = time.time() - leftover.stat().st_mtime > LEFTOVER_AGE_SECONDS
        except OSError:
            continue
        if abandoned:
            _remove_with_sidecars(leftover)
            removed.append(leftover)
    return removed


def _online_copy(source: Path, target: Path) -> None:
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {source}: {exc}") from None
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)  # all pages in one step: one consistent snapshot
        # A backup is one file: leave WAL mode so no -wal is needed beside it.
        writer.execute("pragma journal_mode = delete")
        writer.commit()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy {source} to {target.parent}: {exc}") from None
    finally:
        writer.close()
        reader.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def _remove_with_sidecars(path: Path) -> None:
    for candidate in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _stamp() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class AutomaticBackup:
    path: Path
    pruned: list[Path]


def automatic_backup(ledger_path: Path, reason: str) -> AutomaticBackup | None:
    """Copy the ledger into its backups folder before risky work; keep the newest N (a setting)."""
    from nalcoop.settings import setting

    keep = setting("backups_keep")
    if keep == 0 or not ledger_path.exists():
        return None
    folder = backups_folder(ledger_path)
    if not folder.exists():
        from nalcoop.db import Sharing, make_folders

        make_folders(folder, Sharing.of(ledger_path))
    destination = folder / f"{ledger_path.stem}-{_stamp()}-{reason}{ledger_path.suffix or '.db'}"
    copy_ledger(ledger_path, destination)
    return AutomaticBackup(destination, prune(folder, keep))


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in `folder`, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir() if path.is_file() and AUTO_NAME.match(path.name)]
    return sorted(found, key=lambda path: AUTO_NAME.match(path.name)["stamp"])


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond `keep`; files of other names are never touched."""
    backups = automatic_backups(folder)
    doomed = backups[: max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink()
    return doomed


@dataclass(frozen=True)
class Restored:
    source: Path
    ledger: Path
    kept: Path | None
    schema_from: int
    schema_to: int
    commands: int
    moved: list[Path] = field(default_factory=list)  # a damaged ledger's files, moved aside


def restore(ledger_path: Path, source: Path) -> Restored:
    """Replace the ledger's content with a backup, after checking the backup, keeping the old one.

    The backup is copied to a scratch file, upgraded there if it is older, and checked. Then, holding the
    ledger exclusively (folder_lock: the writes under way end first, and none starts until it is done), the
    current ledger is copied aside and the scratch copy written over the live file through the backup API.
    A write that exited 0 before is in the copy kept aside; one that waited is made on the restored ledger.
    A damaged ledger (what restore is for) cannot be copied: it is moved aside with its -wal and -shm files.
    """
    from nalcoop.checks import run_checks
    from nalcoop.db import (
        DamagedLedger,
        Ledger,
        Sharing,
        folder_lock,
        make_folders,
        probe,
        refuse_network_filesystem,
        refuse_special_file,
    )

    source = source.expanduser()
    refuse_special_file(source, "restore", "~/backups/nalcoop.db")
    if not source.exists():
        raise BackupError(f"{source} does not exist; give the backup file to restore")
    if source.is_dir():
        raise BackupError(f"{source} is a folder; give the backup file to restore")
    refuse_special_file(ledger_path, "--db", "ledger.db")
    schema_from = probe(source)
    if schema_from is None:
        raise BackupError(f"{source} is empty; it is not a nalcoop backup")
    folder = ledger_path.parent
    refuse_network_filesystem(ledger_path)
    make_folders(folder)
    clear_leftovers(folder, ".nalcoop-restore-*.db")
    try:
        handle, scratch_name = tempfile.mkstemp(prefix=".nalcoop-restore-", suffix=".db", dir=folder)
    except OSError as exc:
        raise BackupError(f"cannot write in {folder}: {exc.strerror}; nothing was restored") from None
    scratch = Path(scratch_name)
    try:
        with _held(handle):
            _online_copy(source, scratch)
            candidate = Ledger.open(scratch, backup_before_migration=False)
            try:
                failures = [result for result in run_checks(candidate.conn) if result.problems]
                schema_to = candidate.schema_version
                commands = candidate.conn.execute("select count(*) from journal_commands").fetchone()[0]
                candidate.conn.execute("pragma wal_checkpoint(truncate)")
            finally:
                candidate.close()
            if failures:
                first = failures[0]
                raise BackupError(
                    f"{source} fails its checks ({first.name}: {first.problems[0]}"
                    + (f"; and {sum(len(f.problems) for f in failures) - 1} more" if len(failures) > 1
                       or len(first.problems) > 1 else "")
                    + "); nothing was restored"
                )
            kept, moved = None, []
            sharing = Sharing.of(ledger_path)
            with folder_lock(ledger_path, exclusive=True, wait=60):
                damaged = False
                try:
                    probe(ledger_path)
                except DamagedLedger:
                    damaged = True
                if not damaged and ledger_path.exists() and ledger_path.stat().st_size:
                    kept = ledger_path.with_name(f"{ledger_path.name}.before-restore-{_stamp()}")
                    try:
                        copy_ledger(ledger_path, kept)
                    except BackupError:
                        if not _is_damaged(ledger_path):
                            raise
                        kept, damaged = None, True
                if damaged:
                    moved = _move_aside(ledger_path)
                _write_over(scratch, ledger_path, sharing)
    finally:
        _remove_with_sidecars(scratch)
    return Restored(source, ledger_path, kept, schema_from, schema_to, commands, moved)


def _is_damaged(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("pragma quick_check").fetchone()[0] != "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return True


def _move_aside(ledger_path: Path) -> list[Path]:
    """Rename a damaged ledger and its -wal and -shm files to <name>.damaged-<time>[-wal|-shm]: kept for
    whoever may recover something from them, out of the way of the restored ledger."""
    stamp = _stamp()
    moved = []
    for end in ("", "-wal", "-shm", "-journal"):
        current = Path(f"{ledger_path}{end}")
        if current.exists():
            target = Path(f"{ledger_path}.damaged-{stamp}{end}")
            os.replace(current, target)
            moved.append(target)
    return moved


def _write_over(scratch: Path, ledger_path: Path, sharing) -> None:
    from nalcoop.db import BUSY_TIMEOUT_MS, create_private_file

    if not ledger_path.exists():
        create_private_file(ledger_path, sharing)
    reader = sqlite3.connect(scratch)
    writer = sqlite3.connect(ledger_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        reader.backup(writer)
        writer.execute("pragma journal_mode = wal")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot write {ledger_path}: {exc}; the ledger is unchanged") from None
    finally:
        writer.close()
        reader.close()
