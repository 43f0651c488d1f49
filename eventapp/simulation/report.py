"""The run's report: the invariants with their figures, and per phase and route the requests and their times."""

import json
from pathlib import Path

from eventapp.simulation.invariants import Check


def as_json(checks: list[Check], routes: list[dict], phases: dict, summary: dict) -> dict:
    return {
        "summary": summary,
        "invariants": [{"phase": c.phase, "name": c.name, "figure": c.figure, "held": c.held} for c in checks],
        "phases": phases,
        "routes": routes,
    }


def table(report: dict) -> str:
    lines = ["The simulated day: " + ", ".join(f"{key} {value}" for key, value in report["summary"].items()), ""]
    lines.append(f"{'phase':<14} {'requests':>9} {'mails':>7}")
    lines += [f"{phase:<14} {f['requests']:>9} {f['mails']:>7}" for phase, f in report["phases"].items()]
    lines += ["", f"{'phase':<14} {'route':<58} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses"]
    for row in sorted(report["routes"], key=lambda row: (row["phase"], -row["requests"])):
        statuses = ",".join(map(str, row["statuses"]))
        times = f"{row['requests']:>6} {row['p50_ms']:>8} {row['p99_ms']:>8}"
        lines.append(f"{row['phase']:<14} {row['route'][:58]:<58} {times}  {statuses}")
    lines += ["", "invariants (checked after every step; each phase's last figure):"]
    last = {(check["phase"], check["name"]): check for check in report["invariants"]}
    lines += [
        f"  {'held' if c['held'] else 'BROKEN':<6} [{c['phase']}] {c['name']}: {c['figure']}" for c in last.values()
    ]
    return "\n".join(lines)


def write(report: dict, path: Path | None) -> None:
    if path is not None:
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
