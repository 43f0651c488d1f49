"""Driving a served app with wrk (Debian's C load generator) and reading what its Lua scripts report."""

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class Load:
    """How wrk loads a server: connections spread over threads (one thread per client for stateful scripts)."""

    threads: int
    connections: int

    def __str__(self) -> str:
        return f"{self.connections} conn"


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    counts: dict[str, int] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def lua_value(value) -> str:
    """A Python value as Lua source, for the plans the scripts load."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_value(k)}] = {lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua_value(item) for item in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(url: str, load: Load, script: str, workdir: Path, seconds: float, plan: dict | None = None) -> Result:
    """Run wrk with bench/lua/<script>.lua for `seconds` (or until the script stops every thread)."""
    report = workdir / f"wrk-{script}.report"
    environment = {**os.environ, "BENCH_LUA": str(LUA), "BENCH_REPORT": str(report)}
    if plan is not None:
        plan_path = workdir / f"plan-{script}.lua"
        plan_path.write_text("return " + lua_value(plan) + "\n")
        environment["BENCH_PLAN"] = str(plan_path)
    finished = workdir / f"wrk-{script}.finished"
    environment["BENCH_FINISHED"] = str(finished)
    report.unlink(missing_ok=True)
    finished.unlink(missing_ok=True)
    command = [
        "wrk",
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={seconds:g}s",
        "--timeout=30s",
        f"--script={LUA / (script + '.lua')}",
        url,
    ]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # wrk waits out --duration even when every thread has stopped; SIGINT ends that wait.
        while process.poll() is None:
            if finished.exists() and len(finished.read_text().splitlines()) >= load.threads:
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.02)
        output = process.communicate()[0]
    finally:
        if process.poll() is None:  # the benchmark itself was stopped
            process.kill()
            process.wait()
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{output}")
    return parse(report.read_text())


def parse(text: str) -> Result:
    numbers: dict[str, int] = {}
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if value.lstrip("-").isdigit() and name not in lines:
            numbers[name] = int(value)
        else:
            lines.setdefault(name, []).append(value)
    duration_us = numbers.pop("duration_us")
    return Result(
        requests=numbers.pop("requests"),
        seconds=numbers.pop("span_us", duration_us) / 1e6,
        errors=numbers.pop("errors"),
        p50_ms=numbers.pop("p50_us") / 1000,
        p99_ms=numbers.pop("p99_us") / 1000,
        counts=numbers,
        lines=lines,
    )
