"""The soak's report, from made-up samples (the soak itself runs in `make bench`, not here):
windows over time, errors counted, memory growth judged, and one line per run kept."""

from __future__ import annotations

from bench import seed, soak


def outcome(errors: int = 0, growth: float = 2.0) -> soak.Outcome:
    samples = [soak.Sample(at=i * 0.5, what="worker: I dag" if i % 2 else "API: GET /workers",
                           seconds=0.010 + (i % 10) / 1000, status=200) for i in range(240)]
    for i in range(errors):
        samples[100 + i].status = 500
    return soak.Outcome(minutes=2, rate=2, clients=3, window=60, seeded=seed.Seeded(seconds=5), samples=samples,
                        failures=[], memory={"A pid 1": (100.0, 100.0 + growth), "B pid 2": (100.0, 101.0)},
                        pg_connections=[(10, 4, 1), (70, 6, 2)])


def test_the_report_has_windows_errors_and_memory():
    body, summary = soak.markdown(outcome(errors=3, growth=40))
    assert "| 0.0–1.0 | 120 |" in body and "| 1.0–2.0 | 120 |" in body
    # 10..19 ms, 12 of each, per window; the three errors fall in the first minute.
    assert "| 0.0–1.0 | 120 | 14.5 | 19.0 | 3 | 4; 1 |" in body
    assert "| 1.0–2.0 | 120 | 14.5 | 19.0 | 0 | 6; 2 |" in body
    assert "| errors: 0 | 3 | **missed** |" in body
    assert "most +40.0 MB | **missed** |" in body
    assert "worker: I dag -> 500 ×" in body
    assert summary.endswith("| 3 | +40.0 | 6; 2 |")


def test_each_run_adds_a_line_and_keeps_the_earlier_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(soak, "REPORT", tmp_path / "BENCHMARKS.md")
    (tmp_path / "BENCHMARKS.md").write_text("# Benchmarks\n\nOther results.\n")
    first_body, first = soak.markdown(outcome())
    earlier = "| 2026-01-01 02:00 |" + first.split("|", 2)[2]  # as if run on another day
    soak.write_report(first_body, earlier)
    body, summary = soak.markdown(outcome(growth=5))
    soak.write_report(body, summary)
    text = (tmp_path / "BENCHMARKS.md").read_text()
    assert text.count("<!-- soak -->") == 1 and "Other results." in text
    assert "| 2026-01-01 02:00 |" in text and summary in text
    assert text.index("| 2026-01-01 02:00 |") < text.index(summary)


def test_the_reminders_sender_runs_are_listed_and_a_failed_run_is_an_error():
    made = outcome()
    made.subscriptions, made.pushes_received = 1000, 42
    made.sender_runs = [soak.SenderRun(at=0.5, seconds=1.2, returncode=0, said="sent=40 skipped=2"),
                        soak.SenderRun(at=60.5, seconds=0.8, returncode=1, said="OperationalError: gone"),
                        soak.SenderRun(at=120.5, seconds=0.6, returncode=0, said="")]
    body, summary = soak.markdown(made)
    assert "ran 3 times" in body and "1,000 subscribed phones: 1 failed" in body
    assert "took 42 pushes" in body
    assert "| 0.0 | 1.2 | sent=40 skipped=2 |" in body and "| 2.0 | 0.6 | (nothing due) |" in body
    assert "| errors: 0 | 1 | **missed** |" in body
    assert "reminders sender -> exit 1 ×1" in body and "minute 1.0: OperationalError: gone" in body
    assert summary.split("|")[6].strip() == "1"  # the errors column of the runs table
