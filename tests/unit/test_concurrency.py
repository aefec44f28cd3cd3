"""Two workstations writing at once, and a workstation killed mid-write: no
service or receipt number lost or doubled, on SQLite and PostgreSQL."""

import signal
import subprocess
import sys

from kela_tui import db as storage
from kela_tui.context import open_context
from kela_tui.models import Document, Service

PER_PROCESS = 1000


def workload(url: str, folder, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workload", url, str(folder), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_workstations_at_once(db_url, config, clock, tmp_path):
    open_context(config, db_url, clock).db.close()  # the schema exists before both start
    workers = [workload(db_url, tmp_path, PER_PROCESS) for _ in range(2)]
    reported = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        reported += out.splitlines()
    ctx = open_context(config, db_url, clock)
    assert len(reported) == 2 * PER_PROCESS
    assert Service.select().count() == 2 * PER_PROCESS
    receipts = sorted(d.receipt for d in Document.select())
    assert receipts == sorted(line.split()[1] for line in reported if line.startswith("doc"))
    assert [d.number for d in Document.select().order_by(Document.number)] == list(
        range(1, PER_PROCESS + 1)
    )
    assert storage.check(ctx.db).ok


def test_a_workstation_killed_while_logging(db_url, config, clock, tmp_path):
    open_context(config, db_url, clock).db.close()
    worker = workload(db_url, tmp_path, 100_000)
    reported = []
    for line in worker.stdout:
        reported.append(line.split())
        if len(reported) == 300:
            worker.send_signal(signal.SIGKILL)
            break
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    ctx = open_context(config, db_url, clock)
    assert storage.check(ctx.db).ok
    services = {s.id for s in Service.select(Service.id)}
    receipts = {d.receipt for d in Document.select(Document.receipt)}
    for kind, value in reported:
        assert (int(value) in services) if kind == "service" else (value in receipts)
    numbers = sorted(d.number for d in Document.select())
    assert numbers == list(range(1, len(numbers) + 1))
