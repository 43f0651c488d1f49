"""An organiser downloads the attendance list: time to the last byte, and the serving worker's peak memory."""

import io
import re
import time
from pathlib import Path

import openpyxl
import requests

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def workers(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_mb(pid: int, field: str) -> float:
    """VmRSS (resident now) or VmHWM (the most it has been resident since the process started), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def measure(base_url: str, master_pid: int, email: str, password: str, slug: str, fmt: str) -> dict:
    """Log in, download /organiser/e/<slug>/export/attendance.<fmt> once, and count its rows.

    The server is fresh, so each worker's high-water mark shows what this download made it use.
    """
    browser = requests.Session()
    form = browser.get(f"{base_url}/staff/login", timeout=30)
    answer = browser.post(
        f"{base_url}/staff/login",
        data={"email": email, "password": password, "csrf_token": CSRF.search(form.text).group(1)},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login answered {answer.status_code}")
    idle = max(memory_mb(pid, "VmRSS") for pid in workers(master_pid))
    started = time.perf_counter()
    download = browser.get(f"{base_url}/organiser/e/{slug}/export/attendance.{fmt}", timeout=300)
    seconds = time.perf_counter() - started
    if download.status_code != 200:
        raise RuntimeError(f"export answered {download.status_code}")
    peak = max(memory_mb(pid, "VmHWM") for pid in workers(master_pid))
    return {"seconds": seconds, "peak_mb": peak, "idle_mb": idle, "rows": rows(download.content, fmt)}


def rows(content: bytes, fmt: str) -> int:
    """People in the file: its lines or sheet rows, less the header."""
    if fmt == "csv":
        return len(content.decode("utf-8-sig").splitlines()) - 1
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
