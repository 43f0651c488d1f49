"""gunicorn settings for production (`gunicorn --config deploy/gunicorn.conf.py wsgi:app`).

Every value can be changed with an environment variable of the same unit file or compose service.
"""

import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
graceful_timeout = 20
timeout = 60
# The app writes one line per request with its id (EVENTAPP_REQUEST_LOG); gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"

# Prometheus: each worker counts in files of one folder, and /metrics on any worker adds them up.
# The folder is emptied at start: counts from an earlier run would otherwise be added in.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(tempfile.gettempdir(), f"eventapp-metrics-{os.getpid()}")
_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
shutil.rmtree(_metrics_dir, ignore_errors=True)
os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    """A worker that ended no longer counts in the live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
