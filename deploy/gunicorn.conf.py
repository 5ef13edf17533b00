"""gunicorn settings for policeplan: `gunicorn -c deploy/gunicorn.conf.py policeplan.wsgi`.

With several worker processes, Prometheus metrics are kept in files under
PROMETHEUS_MULTIPROC_DIR (a directory the processes share, made and emptied here when
gunicorn starts) so that /metrics adds every process up; a process that exits is marked dead
here.
"""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
graceful_timeout = 30
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """The metrics folder holds only this run's processes: made if missing, emptied."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
