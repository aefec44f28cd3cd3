"""A throw-away PostgreSQL server for the tests, started from Debian's binaries
in a temporary directory, as an unprivileged user when the tests run as root."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unprivileged_user() -> str:
    """initdb refuses root: Debian's postgres user, or nobody without one."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "nobody"
    return "postgres"


class PostgresServer:
    def __init__(self) -> None:
        self.initdb = find_bin("initdb")
        self.pg_ctl = find_bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise RuntimeError(
                "PostgreSQL's initdb and pg_ctl were not found: run scripts/ensure-system-packages"
            )
        self.dir = Path(tempfile.mkdtemp(prefix="kela-tui-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = _unprivileged_user() if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.dir, user=self.user)

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.dir)

    def start(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "kela", "-E", "UTF8")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.dir / "log"),
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://kela@127.0.0.1:{self.port}/{name}"
