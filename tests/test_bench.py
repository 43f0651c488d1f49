"""The benchmark's plumbing that needs no server: plans written as Lua, wrk's reports read back."""

from bench.wrk import lua_value, parse


def test_plans_become_lua_tables():
    plan = {"path": "/e/x/register", "people": 2, "forms": [{"name": 'Ann "the" \\ Vries'}], "on": True}
    assert lua_value(plan) == (
        '{["path"] = "/e/x/register", ["people"] = 2, ["forms"] = {{["name"] = "Ann \\"the\\" \\\\ Vries"}}, '
        '["on"] = true}'
    )


def test_a_report_gives_its_own_span_and_the_lines_the_threads_collected():
    report = "\n".join(
        [
            "requests 1000",
            "duration_us 600000000",
            "errors 0",
            "status_errors 0",
            "p50_us 12500",
            "p90_us 30000",
            "p99_us 80250",
            "max_us 90000",
            "span_us 2000000",
            "answers 0 302 /r/abc",
            "answers 1 302 /r/def",
            "correct 998",
        ]
    )
    result = parse(report)
    assert (result.requests, result.seconds, result.per_second) == (1000, 2.0, 500.0)  # span, not --duration
    assert (result.p50_ms, result.p99_ms, result.errors) == (12.5, 80.25, 0)
    assert result.lines["answers"] == ["0 302 /r/abc", "1 302 /r/def"]
    assert result.counts["correct"] == 998
