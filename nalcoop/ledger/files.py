"""Where the ledger is and the files around it: locating it, refusing what is not a regular local file,
owner-only (or group) modes, and the folder lock that restore takes exclusively (the standard library, and
platformdirs for the per-user folder)."""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from nalcoop.i18n import N_, _
from nalcoop.ledger.errors import LedgerBusy, LedgerError

BUSY_TIMEOUT_MS = 10_000
ENV_VAR = "NALCOOP_DB"

# Which rule chose the ledger (LedgerLocation.source): a code, the same in every language (`nalcoop info -f
# json` gives it as chosen_by; scripts may compare it), and the words a person reads, in the run's language.
BY_OPTION, BY_VARIABLE, BY_DEFAULT, BY_OLD_DEFAULT = (
    "option --db", f"environment variable {ENV_VAR}", "per-user default", "old roaming per-user default")
_SOURCE_WORDS = {
    BY_OPTION: N_("option --db"),
    BY_VARIABLE: N_("environment variable {variable}"),
    BY_DEFAULT: N_("per-user default"),
    BY_OLD_DEFAULT: N_("the old per-user default in the roaming %APPDATA%: move it to {default}, a local folder (a "
                       "file server may damage a ledger in use)"),
}


class LedgerLocation(NamedTuple):  # NamedTuples here: every command makes these, and a dataclass costs start-up
    path: Path
    source: str  # which rule chose it, one of the codes above: the option, the environment variable, the default
    default: Path | None = None  # where the ledger belongs, when it is still in the old place (BY_OLD_DEFAULT)

    @property
    def said(self) -> str:
        """Which rule chose the ledger, as a person reads it in the language of the run."""
        return _(_SOURCE_WORDS[self.source]).format(variable=ENV_VAR, default=self.default)


# Where the default ledger is on each system, as `nalcoop info` and the README say it (in English: the JSON
# values of `nalcoop info`; a person reads `_(system)` and `_(place)`).
DEFAULT_PLACES = {
    "Windows": N_("%LOCALAPPDATA%\\nalcoop\\ledger.db (AppData\\Local, not the roaming %APPDATA%)"),
    "macOS": "~/Library/Application Support/nalcoop/ledger.db",
    N_("Linux and other Unix"): N_("$XDG_DATA_HOME/nalcoop/ledger.db (usually ~/.local/share/nalcoop/ledger.db)"),
}


def default_ledger_path(platform: str | None = None) -> Path:
    """The per-user default: platformdirs' local (non-roaming) data folder, then nalcoop/ledger.db (see
    DEFAULT_PLACES). A SQLite ledger in WAL mode must not live on a file server, where Windows' roaming
    %APPDATA% is often redirected."""
    return _data_folder(platform or sys.platform) / "ledger.db"


def _data_folder(platform: str) -> Path:
    if platform == "win32":
        from platformdirs.windows import Windows as Folders
    elif platform == "darwin":
        from platformdirs.macos import MacOS as Folders
    else:
        from platformdirs.unix import Unix as Folders
    return Path(Folders("nalcoop", appauthor=False, roaming=False).user_data_dir)


def roaming_ledger_path() -> Path | None:
    """Where nalcoop up to 0.1 kept the default ledger on Windows (%APPDATA%, roaming); None elsewhere."""
    if sys.platform != "win32":
        return None
    return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "nalcoop" / "ledger.db"


def locate(cli_value: str | Path | None) -> LedgerLocation:
    if cli_value:
        return LedgerLocation(Path(cli_value).expanduser(), BY_OPTION)
    env_value = os.environ.get(ENV_VAR)
    if env_value:
        return LedgerLocation(Path(env_value).expanduser(), BY_VARIABLE)
    default = default_ledger_path()
    roaming = roaming_ledger_path()
    if roaming is not None and not default.exists() and roaming.exists():
        # A ledger made by an older nalcoop stays in use (nothing is lost), and `info` says where to move it.
        return LedgerLocation(roaming, BY_OLD_DEFAULT, default)
    return LedgerLocation(default, BY_DEFAULT)


_SPECIAL_KINDS = {"named pipe": N_("named pipe (FIFO)"), "device": N_("device"), "socket": N_("socket"),
                  "special file": N_("special file")}


def _special_kind(mode: int) -> str | None:
    for test, kind in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return _(_SPECIAL_KINDS[kind])
    return None if stat.S_ISREG(mode) else _(_SPECIAL_KINDS["special file"])


def refuse_special_file(path: Path, what: str, example: str) -> None:
    """A FIFO would hang the command, a device (/dev/null) would swallow or replace what is written: refuse
    anything that exists and is not a regular file or a folder, before opening it. `what` names what the file
    was given for (an option such as --db, or words already in the run's language)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        return
    kind = _special_kind(mode)
    if kind:
        raise LedgerError(_("{path} is a {kind}, not a regular file; give {what} a file such as {example}").format(
            path=path, kind=kind, what=what, example=example))



PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
GROUP_FILE, GROUP_FOLDER = 0o660, 0o2770  # group mode: the group may read and write; new files take the group


class Sharing(NamedTuple):
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
    raise LedgerError(_(
        "{path} is on a network filesystem ({kind}), where SQLite's locks do not hold and two colleagues' writes can "
        "destroy each other; keep the ledger on the local disk of one machine and let colleagues run nalcoop there "
        "over SSH (README: Sharing a ledger). If only one machine ever opens it, set {variable}=1").format(
        path=path, kind=kind, variable=NETWORK_ENV_VAR))


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
                        _("the ledger is busy: a restore is under way") if not exclusive else
                        _("the ledger is busy: colleagues' commands kept writing; nothing was restored, try again")
                    ) from None
                time.sleep(0.01)
            except OSError:
                break  # a filesystem without flock: no lock, as on Windows
        yield
    finally:
        os.close(descriptor)  # releases the lock
