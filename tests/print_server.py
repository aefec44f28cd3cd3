"""A throw-away print server for the tests: CUPS's daemon with its own
configuration, spool, logs and socket in a temporary folder, and one queue
on the cups-pdf printer, which writes each job as a PDF file into that folder.
Nothing of the system's CUPS is used or changed: the daemon listens only on
its own socket, and clients reach it through CUPS_SERVER.

cups-pdf reads its configuration (where to write the PDFs) from a folder
compiled into it, /etc/cups. The queue's backend is a copy of it in the
temporary folder whose compiled-in folder is the daemon's working directory
(".", the temporary folder), so that its configuration is there too and
/etc stays untouched. cups-pdf must run as root (it takes the identity of the
job's owner to write the file), so the tests of a real print queue need root,
as CI has; anywhere else they fail saying so, never skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_BIN = Path("/usr/lib/cups")
BACKEND = SERVER_BIN / "backend" / "cups-pdf"
PPD_FOLDER = Path("/usr/share/ppd/cups-pdf")
QUEUE = "kela-pdf"
# The daemon's start and a job's way through the filters take a second or
# two; these are bounds for a machine under load, not waits.
START_SECONDS = 30
JOB_SECONDS = 120


def _find(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )


class CupsServer:
    def __init__(self) -> None:
        self.cupsd, self.lpadmin, self.lpstat = (_find(n) for n in ("cupsd", "lpadmin", "lpstat"))
        ppds = sorted(PPD_FOLDER.glob("*.ppd")) if PPD_FOLDER.is_dir() else []
        found = self.cupsd and self.lpadmin and self.lpstat and shutil.which("pdftocairo")
        if not (found and BACKEND.exists() and ppds):
            raise RuntimeError(
                "CUPS (cupsd, lpadmin, lpstat, pdftocairo) and the cups-pdf printer were not "
                "found: run scripts/ensure-system-packages"
            )
        if os.geteuid() != 0:
            raise RuntimeError(
                "the cups-pdf printer runs only as root (it writes each PDF as the job's "
                "owner): run the tests of the print queue as root, as CI does"
            )
        # cups-pdf's optimised PPD ("opt"), as Debian sets the printer up.
        self.ppd = next((p for p in ppds if p.name.endswith("_opt.ppd")), ppds[0])
        self.dir = Path(tempfile.mkdtemp(prefix="kela-tui-cups-"))
        # The filters run as CUPS's own user (lp), which must reach the spool.
        self.dir.chmod(0o755)
        self.socket = self.dir / "cups.sock"
        self.out = self.dir / "out"
        self.log = self.dir / "log"
        self.process: subprocess.Popen | None = None
        self._stderr = None

    def env(self) -> dict[str, str]:
        """What a client needs to print here."""
        return {"CUPS_SERVER": str(self.socket)}

    def _client(self, *command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, **self.env()},
            timeout=START_SECONDS,
        )

    def _server_bin(self) -> Path:
        """CUPS's programs, with the queue's backend: the copy of cups-pdf
        that reads its configuration from the daemon's working directory."""
        server_bin = self.dir / "bin"
        backends = server_bin / "backend"
        backends.mkdir(parents=True)
        for entry in SERVER_BIN.iterdir():
            if entry.name != "backend":
                (server_bin / entry.name).symlink_to(entry)
        program = BACKEND.read_bytes()
        compiled = b"/etc/cups\x00"
        if program.count(compiled) != 1:
            raise RuntimeError(f"{BACKEND} does not name /etc/cups once: cannot point it here")
        copy = backends / "cups-pdf"
        copy.write_bytes(program.replace(compiled, b".".ljust(len(compiled), b"\x00")))
        # A backend only the owner may run is run as root by the daemon.
        copy.chmod(0o700)
        return server_bin

    def start(self) -> None:
        for folder in ("spool", "cache", "state", "ppd", "pdf-spool", "out", "log"):
            (self.dir / folder).mkdir()
        (self.dir / "tmp").mkdir(mode=0o1777)
        (self.dir / "tmp").chmod(0o1777)
        server_bin = self._server_bin()
        files = self.dir / "cups-files.conf"
        files.write_text(
            f"ServerRoot {self.dir}\n"
            f"ServerBin {server_bin}\n"
            f"RequestRoot {self.dir / 'spool'}\n"
            f"TempDir {self.dir / 'tmp'}\n"
            f"CacheDir {self.dir / 'cache'}\n"
            f"StateDir {self.dir / 'state'}\n"
            "DataDir /usr/share/cups\n"
            "DocumentRoot /usr/share/cups/doc-root\n"
            f"AccessLog {self.log / 'access_log'}\n"
            f"ErrorLog {self.log / 'error_log'}\n"
            f"PageLog {self.log / 'page_log'}\n"
            "FileDevice No\n"
            "Sandboxing Relaxed\n"
            "SystemGroup root\n",
            encoding="utf-8",
        )
        conf = self.dir / "cupsd.conf"
        conf.write_text(
            f"Listen {self.socket}\n"
            "LogLevel info\n"
            "Browsing No\n"
            "WebInterface No\n"
            "DefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n",
            encoding="utf-8",
        )
        # cups-pdf's own configuration, read from the daemon's working
        # directory: the PDFs, its spool and its log in the temporary folder.
        (self.dir / "cups-pdf.conf").write_text(
            f"Out {self.out}\n"
            f"AnonDirName {self.out}\n"
            f"Spool {self.dir / 'pdf-spool'}\n"
            f"Log {self.log}\n"
            "LogType 3\n"
            "Grp root\n",
            encoding="utf-8",
        )
        self._stderr = (self.log / "cupsd.out").open("wb")
        self.process = subprocess.Popen(
            [self.cupsd, "-f", "-c", str(conf), "-s", str(files)],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        deadline = time.monotonic() + START_SECONDS
        while "scheduler is running" not in self._client(self.lpstat, "-r").stdout:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"cupsd did not start: {self.problems()}")
            time.sleep(0.05)
        # pdftocairo turns the PDF into the PostScript cups-pdf takes with
        # its fonts and their text intact (the other renderers make bitmap
        # fonts of them, whose text no reader can take back).
        added = self._client(
            self.lpadmin,
            *("-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(self.ppd)),
            *("-o", "pdftops-renderer-default=pdftocairo"),
        )
        if added.returncode != 0:
            raise RuntimeError(f"lpadmin could not add the queue: {added.stderr.strip()}")

    def wait_for_pdf(self, title: str) -> Path:
        """The PDF cups-pdf wrote for the job titled `title`, once every job
        is done."""
        deadline = time.monotonic() + JOB_SECONDS
        while True:
            found = sorted(self.out.glob(f"{title}*.pdf"))
            pending = self._client(self.lpstat, "-o", QUEUE).stdout.strip()
            if found and not pending:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no PDF for {title!r} in {JOB_SECONDS} s: {pending} {self.problems()}"
                )
            time.sleep(0.05)

    def problems(self) -> str:
        """The error lines of the daemon's and the backend's logs."""
        lines = []
        for log in sorted(self.log.glob("*")):
            text = log.read_text(encoding="utf-8", errors="replace").splitlines()
            lines += [line for line in text if line.startswith("E ") or "[ERROR]" in line]
        return "\n".join(lines[-20:])

    def stop(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=START_SECONDS)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            if self._stderr is not None:
                self._stderr.close()
            shutil.rmtree(self.dir, ignore_errors=True)


# What the tests check of a printed PDF (a pypdf reader).


def fonts(reader) -> set[str]:
    """The PDF's fonts by name, subset prefix and hyphens left out:
    "XKQQSR+DejaVu-Sans" is "DejaVuSans"."""
    return {
        str(font.get_object().get("/BaseFont")).rpartition("+")[2].replace("-", "")
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }


def set_in_dejavu_sans(reader) -> bool:
    """Set in the formatted document's font, not only in a monospace one
    (Courier, DejaVu Sans Mono) as plain text is printed in; the slip's
    receipt numbers are in DejaVu Sans Mono."""
    return any(n.startswith("DejaVuSans") and "Mono" not in n for n in fonts(reader))
