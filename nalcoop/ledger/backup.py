"""Copies of the ledger: manual backups and automatic ones before risky work (restoring one: restore.py).

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
from dataclasses import dataclass
from pathlib import Path

from nalcoop.errors import NalcoopError
from nalcoop.i18n import _
from nalcoop.ledger.errors import LedgerError
from nalcoop.ledger.files import Sharing, make_folders, refuse_special_file

AUTO_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\d{6}Z)-(?P<reason>[a-z0-9-]+)(?P<suffix>\.[^.]*)?$")


class BackupError(NalcoopError):
    pass


def backups_folder(ledger_path: Path) -> Path:
    """Automatic backups live beside the ledger, in `<ledger file name>.backups/`."""
    return ledger_path.with_name(ledger_path.name + ".backups")


def copy_ledger(source: Path, destination: Path, *, overwrite: bool = False) -> Path:
    """Copy the ledger at `source` to `destination` as one self-contained file, owner-only (0600), or 0660
    and the ledger's group when the ledger is in group mode."""
    destination = destination.expanduser()
    if destination.is_dir():
        raise BackupError(_("{path} is a folder; give the backup a file name, e.g. {example}").format(
            path=destination, example=destination / "ledger.db"))
    try:
        refuse_special_file(destination, _("the backup"), "~/backups/nalcoop.db")
    except LedgerError as exc:
        raise BackupError(str(exc)) from None
    if destination.exists() and not overwrite:
        raise BackupError(_("{path} already exists; choose another name or give --yes to replace it").format(
            path=destination))
    folder = destination.parent if str(destination.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(_("the folder {folder} does not exist; create it first").format(folder=folder))
    if source.resolve() == destination.resolve():
        raise BackupError(_("{path} is the ledger itself; give the backup another name").format(path=destination))
    clear_leftovers(folder, ".nalcoop-backup-*.partial")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".nalcoop-backup-", suffix=".partial", dir=folder)
    except OSError as exc:
        raise BackupError(_("cannot write the backup in {folder}: {reason}; choose a folder you may write "
                            "to").format(folder=folder, reason=exc.strerror)) from None
    try:
        with held(handle):
            online_copy(source, Path(temporary), named=destination)
            Sharing.of(source).apply(Path(temporary))
            os.replace(temporary, destination)
    except BaseException:
        remove_with_sidecars(Path(temporary))
        raise
    _fsync_folder(folder)
    return destination


@contextmanager
def held(descriptor: int) -> Iterator[None]:
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
            remove_with_sidecars(leftover)
            removed.append(leftover)
    return removed


def online_copy(source: Path, target: Path, *, named: Path | None = None) -> None:
    """Copy a ledger page by page into `target` (a scratch file the caller renames to `named`, the file the
    person asked for, which the messages name)."""
    named = named or target
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(_("cannot read {path}: {error}").format(path=source, error=exc)) from None
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)  # all pages in one step: one consistent snapshot
        # A backup is one file: leave WAL mode so no -wal is needed beside it.
        writer.execute("pragma journal_mode = delete")
        writer.commit()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
            raise BackupError(_("the disk holding {folder} is full: {name} was not written; free some space there "
                                "or back up to another folder").format(folder=named.parent, name=named.name)) from None
        raise BackupError(_("cannot copy {source} to {target}: {error}").format(source=source, target=named,
                                                                                error=exc)) from None
    finally:
        writer.close()
        reader.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def remove_with_sidecars(path: Path) -> None:
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


def stamp() -> str:
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
        make_folders(folder, Sharing.of(ledger_path))
    destination = folder / f"{ledger_path.stem}-{stamp()}-{reason}{ledger_path.suffix or '.db'}"
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
