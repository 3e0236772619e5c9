"""A tiny run of the benchmark inside `make test`, so that it cannot rot: seed, serve, load, print the table."""

import json
import os

import pytest
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCALE = 0.0005


@pytest.fixture
def bench_database_url(monkeypatch):
    """The gunicorn of the run must see the test database the seeder wrote into."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_tiny_seed_has_every_table_the_scenarios_read():
    import seed

    result = seed.seed(scale=SCALE)

    assert result.counts["regions"] == 1 + 14 + 120 + 1900
    assert result.counts["proposals"] == 150
    assert result.counts["duty records"] == 1000
    assert result.counts["opinions"] == 500
    assert result.counts["assignments"] > 0 and result.counts["replies"] > 0
    assert set(result.logins) == {"staff", "staff_city", "unit", "deputy", "station_manager"}
    from deputies.models import Deputy

    assert Deputy.objects.filter(user__username="bench_deputy").exists()


def test_one_load_scenario_runs_through_gunicorn_with_no_errors(bench_database_url, tmp_path, capsys):
    import run
    import seed

    facts = seed.seed(scale=SCALE).facts
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(facts, ensure_ascii=False))
    out = tmp_path / "benchmarks.md"
    connection.close()

    results = run.main(
        [
            "--skip-seed",
            "--facts",
            str(facts_file),
            "--only",
            "proposal list API, first",
            "--seconds",
            "3",
            "--mix-seconds",
            "0",
            "--users",
            "2",
            "--no-export-stream",
            "--no-migrate",
            "--out",
            str(out),
        ]
    )

    printed = capsys.readouterr().out
    assert "| scenario | req/s alone |" in printed
    measured = {r["name"]: r for r in results if r.get("alone")}
    assert set(measured) == {
        "floor (bare Django view)",
        "reference: floor signed in (session + user)",
        "reference: empty page signed in (base layout)",
        "proposal list API, first",
    }
    for row in measured.values():
        assert row["alone"]["requests"] > 0
        assert row["alone"]["failures"] == 0
        assert row["probe_status"] == 200
    assert int(measured["proposal list API, first"]["sql"]) > 0
    cpu = measured["proposal list API, first"]["cpu"]
    assert cpu["app"] > 0  # gunicorn's workers did the work
    assert cpu["driver"] > 0  # and locust drove it
    if os.environ.get("PG_DATA"):  # scripts/services.sh's PostgreSQL: its backends are measured too
        assert cpu["db"] > 0
    assert "## Capacity" in out.read_text(encoding="utf-8")
    assert "| proposal list API, first |" in out.read_text(encoding="utf-8")
    assert os.environ["DATABASE_URL"] == bench_database_url
