"""gunicorn settings for policeplan: `gunicorn -c deploy/gunicorn.conf.py policeplan.wsgi`.

With several worker processes, Prometheus metrics are kept in files under
PROMETHEUS_MULTIPROC_DIR (a directory the processes share, emptied before gunicorn starts)
so that /metrics adds every process up; a process that exits is marked dead here.
"""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
graceful_timeout = 30
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
