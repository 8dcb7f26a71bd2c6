"""Restore a backup over the ledger: check the copy first, keep the current ledger beside it, and move a
damaged one aside."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.ledger.backup import (
    BackupError,
    clear_leftovers,
    copy_ledger,
    held,
    online_copy,
    remove_with_sidecars,
    stamp,
)
from nalcoop.ledger.checks import CheckResult
from nalcoop.ledger.errors import DamagedLedger, NotALedger
from nalcoop.ledger.files import (
    BUSY_TIMEOUT_MS,
    Sharing,
    create_private_file,
    folder_lock,
    make_folders,
    refuse_network_filesystem,
    refuse_special_file,
)
from nalcoop.ledger.store import Ledger, probe


@dataclass(frozen=True)
class Restored:
    source: Path
    ledger: Path
    kept: Path | None
    schema_from: int
    schema_to: int
    commands: int
    moved: list[Path] = field(default_factory=list)  # a damaged ledger's files, moved aside


def restore(ledger_path: Path, source: Path,
            run_checks: Callable[[sqlite3.Connection], list[CheckResult]],
            before_writing: Callable[[], None] = lambda: None) -> Restored:
    """Replace the ledger's content with a backup, after checking the backup, keeping the old one.

    The backup is copied to a scratch file, upgraded there if it is older, and checked with `run_checks`
    (every check, the activities' own included: nalcoop.checks.run_checks). Then, holding the
    ledger exclusively (folder_lock: the writes under way end first, and none starts until it is done), the
    current ledger is copied aside and the scratch copy written over the live file through the backup API.
    A write that exited 0 before is in the copy kept aside; one that waited is made on the restored ledger.
    A damaged ledger (what restore is for) cannot be copied: it is moved aside with its -wal and -shm files.
    `before_writing` is called once the backup has passed its checks, before the ledger is touched (the
    command asks there: a person is asked only about a backup that can be restored).
    """
    source = source.expanduser()
    refuse_special_file(source, "restore", "~/backups/nalcoop.db")
    if not source.exists():
        raise BackupError(_("{path} does not exist; give the backup file to restore").format(path=source))
    if source.is_dir():
        raise BackupError(_("{path} is a folder; give the backup file to restore").format(path=source))
    refuse_special_file(ledger_path, "--db", "ledger.db")
    try:
        schema_from = probe(source)
    except DamagedLedger:
        raise BackupError(_("{path} is damaged, so it cannot be restored; choose another backup (the automatic "
                            "ones are in {folder}/ beside the ledger)").format(
            path=source, folder=f"{ledger_path.name}.backups")) from None
    except NotALedger:  # its message would send the person to --db: the backup is the file given here
        raise BackupError(_("{path} is not a nalcoop backup (not a SQLite database nalcoop wrote); give a file "
                            "made by `nalcoop backup` or an automatic backup").format(path=source)) from None
    if schema_from is None:
        raise BackupError(_("{path} is empty; it is not a nalcoop backup").format(path=source))
    folder = ledger_path.parent
    refuse_network_filesystem(ledger_path)
    make_folders(folder)
    clear_leftovers(folder, ".nalcoop-restore-*.db")
    try:
        handle, scratch_name = tempfile.mkstemp(prefix=".nalcoop-restore-", suffix=".db", dir=folder)
    except OSError as exc:
        raise BackupError(_("cannot write in {folder}: {reason}; nothing was restored").format(
            folder=folder, reason=exc.strerror)) from None
    scratch = Path(scratch_name)
    try:
        with held(handle):
            online_copy(source, scratch)
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
                more = sum(len(failure.problems) for failure in failures) - 1
                said = (_("{path} fails its checks ({check}: {problem}; and {count} more); nothing was restored")
                        if more else _("{path} fails its checks ({check}: {problem}); nothing was restored"))
                raise BackupError(said.format(path=source, check=first.name, problem=first.problems[0], count=more))
            before_writing()
            kept, moved = None, []
            sharing = Sharing.of(ledger_path)
            with folder_lock(ledger_path, exclusive=True, wait=60):
                damaged = False
                try:
                    probe(ledger_path)
                except DamagedLedger:
                    damaged = True
                if not damaged and ledger_path.exists() and ledger_path.stat().st_size:
                    kept = ledger_path.with_name(f"{ledger_path.name}.before-restore-{stamp()}")
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
        remove_with_sidecars(scratch)
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
    when = stamp()
    moved = []
    for end in ("", "-wal", "-shm", "-journal"):
        current = Path(f"{ledger_path}{end}")
        target = Path(f"{ledger_path}.damaged-{when}{end}")
        try:
            os.replace(current, target)
        except FileNotFoundError:  # none, or a closing connection removed its -wal just now
            continue
        moved.append(target)
    return moved


def _write_over(scratch: Path, ledger_path: Path, sharing) -> None:
    if not ledger_path.exists():
        create_private_file(ledger_path, sharing)
    reader = sqlite3.connect(scratch)
    writer = sqlite3.connect(ledger_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        reader.backup(writer)
        writer.execute("pragma journal_mode = wal")
    except sqlite3.Error as exc:
        raise BackupError(_("cannot write {path}: {error}; the ledger is unchanged").format(path=ledger_path,
                                                                                          error=exc)) from None
    finally:
        writer.close()
        reader.close()
