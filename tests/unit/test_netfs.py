"""A SQLite database on a network file system is refused (issue 16, point 6):
the decision for each kind from what the operating system says, and the
refusal wherever a SQLite database is opened, with the file-system readers
switched for each kind."""

from __future__ import annotations

import os
import sys

import pytest

from kela_tui import db as storage
from kela_tui import netfs
from kela_tui.errors import BadInput
from kela_tui.i18n import LANGUAGES, Translator
from kela_tui.netfs import MAPPED_DRIVE, UNC, network_kind
from tests.conftest import fresh_postgres_url


def mountinfo(*mounts: tuple[str, str, str]) -> str:
    """/proc/self/mountinfo's text for (mount point, type, source) mounts, the
    root's ext4 first; a space in a name is written \\040 as the kernel does."""
    lines = ["27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard"]
    for number, (point, kind, source) in enumerate(mounts, start=30):
        point = point.replace(" ", "\\040")
        lines.append(f"{number} 27 0:{number} / {point} rw,relatime shared:1 - {kind} {source} rw")
    return "\n".join(lines) + "\n"


# --- The decision, for each kind -------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        r"\\server\share\kela\kela.db",
        "//server/share/kela/kela.db",
        r"\\?\UNC\server\share\kela.db",
        r"\\wsl$\Debian\home\anna\kela.db",
    ],
)
def test_a_unc_path_is_a_network_one_on_windows(path):
    assert network_kind(path, "win32") == UNC
    # Without asking the drive: a UNC path has none.
    assert network_kind(path, "win32", drive_type=lambda root: pytest.fail(root)) == UNC


def test_a_mapped_network_drive_is_found_by_its_drive_type():
    asked = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return {"Z:\\": netfs.DRIVE_REMOTE, "C:\\": 3}[root]

    assert network_kind(r"Z:\kela\kela.db", "win32", drive_type=drive_type) == MAPPED_DRIVE
    assert network_kind("z:/kela/kela.db", "win32", drive_type=drive_type) == MAPPED_DRIVE
    assert network_kind(r"\\?\Z:\kela.db", "win32", drive_type=drive_type) == MAPPED_DRIVE
    assert network_kind(r"C:\Users\anna\kela.db", "win32", drive_type=drive_type) is None
    assert network_kind(r"\\?\C:\kela.db", "win32", drive_type=drive_type) is None
    assert asked == ["Z:\\", "Z:\\", "Z:\\", "C:\\", "C:\\"]
    # A drive whose type cannot be read is taken as it is.
    assert network_kind(r"Z:\kela.db", "win32", drive_type=lambda root: None) is None


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("cifs", "//server/share"),
        ("smb3", "//server/share"),
        ("smbfs", "//server/share"),
        ("nfs", "server:/export"),
        ("nfs4", "server:/export"),
        ("fuse.sshfs", "anna@server:/home/anna"),
        ("fuse.rclone", "onedrive:"),
        ("fuse.gvfsd-fuse", "gvfsd-fuse"),
        ("9p", "drvfs"),
        ("afs", "AFS"),
        ("ceph", "10.0.0.1:6789:/"),
        ("davfs", "https://dav.example/kela"),
        ("fuse", "https://dav.example/kela"),
    ],
)
def test_a_network_mount_is_found_on_linux(kind, source):
    mounts = mountinfo(("/srv/share", kind, source))
    assert network_kind("/srv/share/kela/kela.db", "linux", mounts) == kind
    assert network_kind("/srv/share", "linux", mounts) == kind


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("ext4", "/dev/sda1"),
        ("tmpfs", "tmpfs"),
        ("overlay", "overlay"),
        ("btrfs", "/dev/nvme0n1p2"),
        ("xfs", "/dev/sdb1"),
        ("fuseblk", "/dev/sdc1"),
        ("fuse", "portal"),
        ("fuse.portal", "portal"),
    ],
)
def test_a_local_mount_passes_on_linux(kind, source):
    mounts = mountinfo(("/srv/share", kind, source))
    assert network_kind("/srv/share/kela.db", "linux", mounts) is None


def test_the_longest_mount_point_above_the_path_decides():
    mounts = mountinfo(
        ("/srv", "nfs4", "server:/srv"),
        ("/srv/local", "ext4", "/dev/sdb1"),
        ("/srv/local/share", "cifs", "//server/share"),
    )
    assert network_kind("/srv/kela.db", "linux", mounts) == "nfs4"
    assert network_kind("/srv/local/kela.db", "linux", mounts) is None
    assert network_kind("/srv/local/share/kela.db", "linux", mounts) == "cifs"
    # A name that only begins like a mount point is not inside it.
    assert network_kind("/srv/localdisk/kela.db", "linux", mounts) == "nfs4"
    assert network_kind("/home/anna/kela.db", "linux", mounts) is None


def test_the_later_of_two_mounts_on_one_point_is_the_one_seen():
    hidden = mountinfo(("/mnt/data", "ext4", "/dev/sdb1"), ("/mnt/data", "nfs", "server:/x"))
    assert network_kind("/mnt/data/kela.db", "linux", hidden) == "nfs"
    shown = mountinfo(("/mnt/data", "nfs", "server:/x"), ("/mnt/data", "ext4", "/dev/sdb1"))
    assert network_kind("/mnt/data/kela.db", "linux", shown) is None


def test_a_mount_point_with_a_space_in_its_name():
    mounts = mountinfo(("/mnt/yhteinen levy", "cifs", "//server/share"))
    assert network_kind("/mnt/yhteinen levy/kela.db", "linux", mounts) == "cifs"
    assert network_kind("/mnt/yhteinen/kela.db", "linux", mounts) is None


def test_unreadable_mounts_tell_nothing():
    assert network_kind("/srv/kela.db", "linux", "") is None
    assert network_kind("/srv/kela.db", "linux", "garbage\nmore garbage - x\n") is None


MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect)
//anna@server/yhteinen on /Volumes/yhteinen (smbfs, nodev, nosuid, mounted by anna)
server:/export on /Volumes/export (nfs, nodev, nosuid, mounted by anna)
anna@server:/home/anna on /Volumes/ssh koti (macfuse, nodev, nosuid, synchronous, mounted by anna)
/dev/disk5s1 on /Volumes/USB (msdos, local, nodev, nosuid, noowners)
"""


def test_macos_mounts_as_mount_lists_them():
    for path, kind in [
        ("/Volumes/yhteinen/kela.db", "smbfs"),
        ("/Volumes/export/kela/kela.db", "nfs"),
        ("/Volumes/ssh koti/kela.db", "macfuse"),
        ("/Users/anna/Library/Application Support/kela-tui/kela-tui.db", None),
        ("/Volumes/USB/kela.db", None),
    ]:
        assert network_kind(path, "darwin", MAC_MOUNT) == kind, path


def test_another_platform_is_not_checked():
    assert network_kind("/srv/kela.db", "aix", mountinfo(("/", "nfs", "server:/"))) is None


def test_the_drive_type_is_asked_only_on_windows():
    # Elsewhere ctypes has no windll: nothing to ask, nothing said.
    if sys.platform != "win32":
        assert netfs.drive_type("C:\\") is None


def test_this_machines_own_mounts_are_read(tmp_path):
    assert " / / " in netfs.mountinfo()
    assert netfs.network_kind_of(str(tmp_path / "kela.db")) is None


# --- Refused wherever a SQLite database is opened ----------------------------


@pytest.fixture
def share(tmp_path, monkeypatch):
    """A folder that the mount table says is a Windows share (cifs); the
    rest of the disk is local."""
    folder = tmp_path / "share"
    folder.mkdir()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(netfs, "mountinfo", lambda: mountinfo((str(folder), "cifs", "//srv/k")))
    return folder


@pytest.mark.parametrize("mode", [storage.READ, storage.WRITE, storage.CREATE])
def test_a_database_on_a_share_is_refused_and_nothing_is_made(share, mode):
    path = share / "kela" / "kela.db"
    with pytest.raises(BadInput) as refused:
        storage.connect(f"sqlite:///{path}", mode)
    assert refused.value.key == "db_network"
    assert refused.value.params == {"path": str(path), "kind": "cifs"}
    # The file whose folder does not exist yet was judged by its nearest
    # existing folder, and neither was made.
    assert list(share.iterdir()) == []


def test_an_existing_database_on_a_share_is_refused_untouched(share, tmp_path):
    url = f"sqlite:///{tmp_path / 'local.db'}"
    storage.upgrade(storage.connect(url, storage.CREATE))
    storage.database.obj.close()
    moved = share / "kela.db"
    os.replace(tmp_path / "local.db", moved)
    before = moved.read_bytes()
    with pytest.raises(BadInput, match="network drive"):
        storage.connect(f"sqlite:///{moved}", storage.WRITE)
    assert moved.read_bytes() == before
    assert sorted(p.name for p in share.iterdir()) == ["kela.db"]  # no -wal, no -shm


def test_a_symbolic_link_into_a_share_is_followed(share, tmp_path):
    (tmp_path / "kela").symlink_to(share)
    (tmp_path / "file.db").symlink_to(share / "kela.db")  # not there yet
    for given in (tmp_path / "kela" / "kela.db", tmp_path / "file.db"):
        with pytest.raises(BadInput) as refused:
            storage.connect(f"sqlite:///{given}", storage.CREATE)
        assert refused.value.params["path"] == str(given)  # as it was given
    assert list(share.iterdir()) == []


def test_a_relative_path_is_judged_where_it_leads(share, monkeypatch):
    monkeypatch.chdir(share)
    with pytest.raises(BadInput):
        storage.connect("sqlite:///kela.db", storage.CREATE)
    monkeypatch.chdir(share.parent)
    storage.connect("sqlite:///kela.db", storage.CREATE).close()
    assert (share.parent / "kela.db").exists()


def test_a_local_database_beside_a_share_opens(share, tmp_path):
    storage.connect(f"sqlite:///{tmp_path / 'kela.db'}", storage.CREATE).close()
    storage.connect(f"sqlite:///{tmp_path / 'sharekela.db'}", storage.CREATE).close()


def test_memory_is_never_looked_up(monkeypatch):
    monkeypatch.setattr(netfs, "network_kind_of", lambda path: pytest.fail(path))
    storage.connect("sqlite:///:memory:", storage.CREATE).close()


def test_postgresql_is_not_looked_up(postgres, monkeypatch):
    url = fresh_postgres_url(postgres)
    monkeypatch.setattr(netfs, "network_kind_of", lambda path: pytest.fail(path))
    storage.connect(url, storage.WRITE).close()


def test_windows_unc_and_mapped_drives_are_refused_where_the_database_opens(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    # Windows resolves its own paths; this machine's resolving would not.
    monkeypatch.setattr(netfs, "resolved", lambda path: path)
    monkeypatch.setattr(
        netfs, "drive_type", lambda root: {"Z:\\": netfs.DRIVE_REMOTE}.get(root, 3)
    )
    for url, kind in [
        ("sqlite://///server/share/kela.db", "UNC path"),
        ("sqlite:///\\\\server\\share\\kela.db", "UNC path"),
        ("sqlite:///Z:/kela/kela.db", "mapped network drive"),
        ("sqlite:///Z:\\kela\\kela.db", "mapped network drive"),
    ]:
        with pytest.raises(BadInput) as refused:
            storage.connect(url, storage.READ)  # makes nothing even if not refused
        said = str(refused.value)
        assert f"the database {storage.sqlite_path(url)} is on a network drive ({kind})" in said
        assert "PostgreSQL" in said


def test_a_resolved_windows_path_leading_to_a_share_is_refused(monkeypatch):
    # A link on C: to a share resolves to the share's UNC path.
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(netfs, "resolved", lambda path: r"\\?\UNC\server\share\kela.db")
    monkeypatch.setattr(netfs, "drive_type", lambda root: 3)
    assert netfs.network_kind_of(r"C:\kela\kela.db") == UNC


# --- The command line and the TUI's start say it: exit 2 ---------------------

COMMANDS = [
    [],  # the TUI: refused before its screen opens, as a missing database is
    ["demo"],
    ["backup", "copy.db"],
    ["db", "upgrade"],
    ["db", "check"],
    ["stats", "2026-09"],
    ["log", "P"],
    ["export", "2026-09"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tui")
def test_every_command_refuses_a_database_on_a_share(cli, share, command, monkeypatch):
    monkeypatch.chdir(share.parent)
    path = share / "[red]x[/] 131052-308T" / "kela.db"
    code, out, err = cli("--db", f"sqlite:///{path}", *command, language="en")
    assert code == 2
    assert out == ""
    assert err == (
        f"kela-tui: the database {path} is on a network drive (cifs). A SQLite database "
        "belongs on this computer's own disk: workstations sharing one SQLite file over "
        "the network damage it. Keep the database on this computer, or, for several "
        "workstations on one database, use PostgreSQL (README: For IT: several PCs on "
        "one PostgreSQL database)\n"
    )
    assert list(share.iterdir()) == []
    assert not (share.parent / "copy.db").exists()


def test_the_database_named_in_the_workstations_file_is_refused_too(share, tmp_path, capsys):
    from kela_tui.cli import main

    config = tmp_path / "config.toml"
    config.write_text(
        f'language = "en"\n[database]\nurl = "sqlite:///{share}/kela.db"\n', encoding="utf-8"
    )
    assert main(["--config", str(config), "demo"]) == 2
    assert "is on a network drive (cifs)" in capsys.readouterr().err


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_refusal_in_every_language(cli, share, lang):
    path = share / "kela.db"
    code, _, err = cli("--db", f"sqlite:///{path}", "demo", language=lang)
    assert code == 2
    assert f" {path} " in err and "(cifs)" in err and "PostgreSQL" in err


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_windows_kinds_are_named_in_every_language(lang):
    t = Translator(lang)
    for kind in (UNC, MAPPED_DRIVE):
        said = t.error(BadInput("db_network", path="Z:\\kela.db", kind=netfs_kind(kind)))
        assert t(f"network.{kind}") in said and "Z:\\kela.db" in said


def netfs_kind(kind: str):
    from kela_tui.i18n import Msg

    return Msg(f"network.{kind}")
