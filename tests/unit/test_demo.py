"""The demo's bulk history: the same rows the domain functions write, counted
the same way; and a region's ten points."""

from __future__ import annotations

import json
from datetime import datetime

from kela_tui import demo, documents, services, statistics
from kela_tui.cli import main
from kela_tui.context import open_context
from kela_tui.models import (
    Audit,
    BoothDuty,
    BoothPhase,
    BoothSession,
    Document,
    Feedback,
    Referral,
    Service,
    Site,
    Visit,
)
from kela_tui.months import Month
from tests.conftest import fresh_postgres_url, new_sqlite_url

NOW = datetime(2026, 9, 10, 16, 0)


def another(db_url, request, tmp_path) -> str:
    """A second empty database on the same backend as `db_url`."""
    if db_url.startswith("sqlite"):
        return new_sqlite_url(tmp_path / "other.db")
    return fresh_postgres_url(request.getfixturevalue("postgres"))


def written(url, config, clock, domain_days: int) -> dict:
    """Two months of demo history for two points, and what it gives."""
    ctx = open_context(config, url, clock)
    try:
        demo.fill(ctx, months=2, seed=5, domain_days=domain_days)
        other = demo.add_site(ctx, "TOHOLAMPI")
        demo.fill(other, months=2, seed=6, domain_days=domain_days, busy=2)
        sites = [ctx.site, other.site]
        figures = {
            str(month): [
                statistics.month_stats(month, group, ctx.today()).to_json()
                for group in ([ctx.site], [other.site], sites)
            ]
            for month in (Month(2026, 8), Month(2026, 9))
        }
        return {
            "figures": figures,
            "services": sorted(
                Service.select(
                    Service.site,
                    Service.at,
                    Service.category,
                    Service.status,
                    Service.note,
                    Service.origin,
                    Service.duration_seconds,
                    Service.outside_hours,
                    Service.void_reason,
                    Service.staff,
                ).tuples()
            ),
            "visits": Visit.select().count(),
            "documents": sorted(
                Document.select(
                    Document.receipt,
                    Document.at,
                    Document.kind,
                    Document.deadline,
                    Document.forwarded_at,
                    Document.forwarded_day,
                    Document.forward_method,
                    Document.status,
                ).tuples()
            ),
            "feedback": sorted(
                Feedback.select(Feedback.at, Feedback.kind, Feedback.forwarded_at).tuples()
            ),
            "referrals": sorted(Referral.select(Referral.at, Referral.kind).tuples()),
            "sessions": sorted(
                BoothSession.select(
                    BoothSession.at,
                    BoothSession.state,
                    BoothSession.ended_at,
                    BoothSession.outcome,
                    BoothSession.connected_at,
                    BoothSession.disconnected_at,
                    BoothSession.counter_category,
                ).tuples()
            ),
            "phases": sorted(
                BoothPhase.select(
                    BoothPhase.state, BoothPhase.started_at, BoothPhase.ended_at
                ).tuples()
            ),
            "duties": sorted(BoothDuty.select(BoothDuty.duty, BoothDuty.ticked_at).tuples()),
            "demo_audits": Audit.select().where(Audit.action == "demo").count(),
        }
    finally:
        ctx.db.close()


def test_the_bulk_history_is_what_the_domain_functions_write(
    db_url, request, tmp_path, config, clock
):
    clock.set(NOW)
    by_hand = written(db_url, config, clock, domain_days=1000)
    in_bulk = written(another(db_url, request, tmp_path), config, clock, domain_days=0)
    assert by_hand.pop("demo_audits") == 0
    # One audit entry a month and point: August and September of both.
    assert in_bulk.pop("demo_audits") == 4
    assert in_bulk == by_hand
    # The kinds of data the statistics count differently are all there.
    voided = [row for row in by_hand["services"] if row[3] == "voided"]
    assert voided and by_hand["documents"] and by_hand["sessions"]
    assert any(row[7] == "voided" for row in by_hand["documents"])
    assert any(row[4] is None for row in by_hand["documents"])  # still waiting
    kannus, toholampi, both = by_hand["figures"]["2026-08"]
    active = sum(1 for row in by_hand["services"] if row[3] == "active")
    september = by_hand["figures"]["2026-09"][2]
    assert both["services"] + september["services"] == active
    assert both["services"] == kannus["services"] + toholampi["services"]
    assert toholampi["services"] > kannus["services"]  # twice as busy
    assert both["booth"]["sessions"] > 0 and both["documents"]["on_time"] > 0
    assert len(by_hand["phases"]) == 5 * len(by_hand["sessions"])


def test_after_the_bulk_history_work_goes_on(ctx, clock):
    clock.set(NOW)
    demo.fill(ctx, months=2, seed=5, domain_days=0)
    service = services.log_service(ctx, "advice")
    assert service.id == Service.select(Service.id).order_by(Service.id.desc()).scalar()
    docs = documents.receive_documents(ctx, "application", 2)
    numbers = sorted(d.number for d in Document.select().where(Document.year == 2026))
    assert numbers == list(range(1, len(numbers) + 1))
    assert docs[-1].number == numbers[-1]


def test_a_region_of_ten_points(db_url, tmp_path, clock, capsys):
    clock.set(NOW)
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url]
    assert main([*argv, "demo", "--sites", "10", "--months", "2"], clock=clock) == 0
    capsys.readouterr()
    assert main([*argv, "stats", "2026-09", "--format", "json", "--site", "all"], clock=clock) == 0
    region = json.loads(capsys.readouterr().out)
    assert len(region["sites"]) == 10 and "KALAJOKI" in region["sites"]
    assert region["services"] > 0 and region["booth"]["sessions"] > 0
    names = {site.code: site.name for site in Site.select()}
    assert names["KALAJOKI"] == "Kalajoen yhteispalvelupiste"
    assert main([*argv, "log", "advice"], clock=clock) == 0
    assert main([*argv, "--lang", "en", "demo", "--sites", "11"], clock=clock) == 2
    assert "from 1 to 10, not 11" in capsys.readouterr().err
    assert main([*argv, "--lang", "en", "demo", "--months", "121"], clock=clock) == 2
    assert "from 1 to 120, not 121" in capsys.readouterr().err
