"""Whether a SQLite database's file is on a network file system, where it must
never be: SQLite's write-ahead log keeps its index in memory shared by the
processes of one machine, and a network file system's locks are not to be
trusted, so two workstations sharing one file over the network damage it.
Several workstations share a PostgreSQL database instead.

`network_kind` decides from what the operating system says, and is tested
for every kind; the readers below it ask the operating system, each only on
its own platform."""

from __future__ import annotations

import ntpath
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable

# Linux (the type in /proc/self/mountinfo), macOS and the BSDs (the type in
# `mount`'s output): file systems whose files are on another machine.
NETWORK_TYPES = frozenset(
    {
        # Windows shares: cifs, and cifs mounted as smb3; smbfs is Linux's
        # old driver and the macOS/BSD one.
        *("cifs", "smb3", "smbfs"),
        # NFS (nfs is every version on macOS and the BSDs).
        *("nfs", "nfs4"),
        # A virtual machine's host folders and WSL 2's Windows drives
        # (/mnt/c): the other side's processes take no part in the locks.
        "9p",
        # AFS, Coda, NetWare; macOS's AFP, WebDAV and FTP mounts.
        *("afs", "coda", "ncpfs", "afpfs", "webdav", "ftp"),
        # WebDAV (davfs2) and the cluster file systems, whose files are on
        # other machines even when their locks reach every node: the
        # write-ahead log's shared memory never does.
        *("davfs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "orangefs"),
    }
)
# FUSE file systems appear as fuse.NAME on Linux: these reach another
# machine. gvfsd-fuse is GNOME's view of what the file manager opened
# (smb://, sftp://, a phone): no place for a database either.
FUSE_NETWORK = frozenset(
    {
        *("sshfs", "rclone", "s3fs", "gcsfuse", "davfs", "davfs2", "curlftpfs"),
        *("smbnetfs", "gvfsd-fuse", "glusterfs", "ceph-fuse", "juicefs", "mfs"),
    }
)
# A FUSE mount without its name (macFUSE on macOS, plain fuse on Linux) is
# taken for a network one when its source names another machine: host:/path,
# user@host:, //server/share or scheme://.
FUSE_TYPES = frozenset({"fuse", "macfuse", "osxfuse", "fusefs"})
REMOTE_SOURCE = re.compile(r"^(//|[a-z][a-z0-9+.-]*://|[^/\s]+:)", re.I)

# GetDriveTypeW's answer for a network drive.
DRIVE_REMOTE = 4
# What network_kind says for a UNC path and a mapped network drive.
UNC = "unc"
MAPPED_DRIVE = "mapped_drive"


def network_kind(
    path: str,
    platform: str,
    mounts: str = "",
    drive_type: Callable[[str], int | None] | None = None,
) -> str | None:
    """The kind of network file system `path` is on — its type (`cifs`,
    `nfs4`, `fuse.sshfs`…), or UNC or MAPPED_DRIVE on Windows — or None when
    it is on the machine's own disk, or nothing tells. `path` is absolute,
    its symbolic links resolved; `mounts` is /proc/self/mountinfo's text on
    Linux and `mount`'s output on macOS and the BSDs; `drive_type` gives
    GetDriveTypeW's answer for a drive's root (C:\\) on Windows."""
    if platform == "win32":
        return _windows(path, drive_type)
    if platform.startswith("linux"):
        return _mounted_on(path, mountinfo_entries(mounts))
    if platform == "darwin" or "bsd" in platform:
        return _mounted_on(path, mount_entries(mounts))
    return None


def _windows(path: str, drive_type: Callable[[str], int | None] | None) -> str | None:
    given = path.replace("/", "\\")
    if given.startswith(("\\\\?\\", "\\\\.\\")):
        # The long form of a path: \\?\UNC\server\share\… or \\?\C:\…
        rest = given[4:]
        if rest[:4].upper() == "UNC\\":
            return UNC
        given = rest
    if given.startswith("\\\\"):
        return UNC
    drive = ntpath.splitdrive(given)[0]
    letter = len(drive) == 2 and drive[1] == ":"
    if letter and drive_type is not None and drive_type(drive.upper() + "\\") == DRIVE_REMOTE:
        return MAPPED_DRIVE
    return None


def mountinfo_entries(text: str) -> list[tuple[str, str, str]]:
    """(mount point, type, source) of each line of /proc/self/mountinfo:
    `36 35 98:0 /root /mnt/point rw,noatime master:1 - nfs4 host:/x rw,…`,
    a space in a name written as \\040."""
    entries = []
    for line in text.splitlines():
        mount, separator, fs = line.partition(" - ")
        fields, described = mount.split(" "), fs.split(" ")
        if separator and len(fields) >= 5 and len(described) >= 2:
            entries.append((_unescape(fields[4]), described[0], _unescape(described[1])))
    return entries


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match[1], 8)), field)


# `mount` on macOS and the BSDs: `//anna@server/share on /Volumes/share (smbfs, nodev, …)`.
_MOUNT_LINE = re.compile(r"^(?P<source>.+?) on (?P<point>.+) \((?P<type>[^,()]+)[^()]*\)$")


def mount_entries(text: str) -> list[tuple[str, str, str]]:
    """(mount point, type, source) of each line of `mount`'s output."""
    entries = []
    for line in text.splitlines():
        found = _MOUNT_LINE.match(line.strip())
        if found:
            entries.append((found["point"], found["type"].strip(), found["source"]))
    return entries


def _mounted_on(path: str, entries: Iterable[tuple[str, str, str]]) -> str | None:
    """The network type of the mount holding `path`: the longest mount point
    that is `path` or a folder above it, the later one of two on the same
    point (a mount hides what was mounted there before)."""
    best: tuple[str, str, str] | None = None
    for entry in entries:
        point = entry[0]
        inside = point == "/" or path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = entry
    if best is None:
        return None
    _, kind, source = best
    return kind if is_network(kind, source) else None


def is_network(kind: str, source: str = "") -> bool:
    kind = kind.lower()
    if kind in NETWORK_TYPES:
        return True
    base, _, name = kind.partition(".")
    if base == "fuse" and name in FUSE_NETWORK:
        return True
    return kind in FUSE_TYPES and bool(REMOTE_SOURCE.match(source))


def refuse(path: str) -> None:
    """Refuse a SQLite database at `path` on a network file system, naming
    the path as it was given and the kind, with the advice to use PostgreSQL."""
    kind = network_kind_of(path)
    if kind is None:
        return
    from kela_tui.errors import BadInput
    from kela_tui.i18n import Msg

    shown = Msg(f"network.{kind}") if kind in (UNC, MAPPED_DRIVE) else kind
    raise BadInput("db_network", path=path, kind=shown)


# The readers: what the operating system says, each only on its platform.


def network_kind_of(path: str) -> str | None:
    """The kind of network file system the file at `path` is, or would be
    created, on (see `network_kind`); None on the machine's own disk."""
    platform = sys.platform
    if platform == "win32":
        # A UNC path is refused as it is given, before it is looked up.
        return network_kind(path, platform) or network_kind(
            resolved(path), platform, drive_type=drive_type
        )
    if platform.startswith("linux"):
        return network_kind(resolved(path), platform, mountinfo())
    if platform == "darwin" or "bsd" in platform:
        return network_kind(resolved(path), platform, mount_output())
    return None


def resolved(path: str) -> str:
    """`path` made absolute, with the symbolic links of the part of it that
    exists resolved: a file not made yet is where its nearest existing
    folder really is."""
    absolute = os.path.abspath(path)
    existing, missing = absolute, []
    while not os.path.lexists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            break
        missing.append(os.path.basename(existing))
        existing = parent
    return os.path.join(os.path.realpath(existing), *reversed(missing))


def mountinfo() -> str:
    """Linux: this process's mounts; "" when they cannot be read."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as file:
            return file.read()
    except OSError:
        return ""


def mount_output() -> str:
    """macOS and the BSDs: the mounts as `mount` lists them; "" when it
    cannot be run (the check is then skipped: a best effort)."""
    program = shutil.which("mount") or "/sbin/mount"
    try:
        done = subprocess.run([program], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def drive_type(root: str) -> int | None:
    """Windows: GetDriveTypeW of a drive's root (C:\\); None elsewhere."""
    import ctypes

    try:
        return ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
