"""gunicorn settings for one small server: `gunicorn -c gunicorn.conf.py app:app`.

Environment overrides: XTQ_BIND (default 127.0.0.1:8000, nginx in front), XTQ_WORKERS.
"""

import multiprocessing
import os

bind = os.environ.get("XTQ_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("XTQ_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (bounded memory on a small server), rarely and far apart: a new
# worker takes about a second to load the app, and two recycling together stall every request
# for that second (bench: at 1,400 requests/s, 5,000 ± 500 gave a p99 of 1 s on most pages).
max_requests = 50000
max_requests_jitter = 25000
accesslog = None  # the app logs one line per request itself (xtq/request_log.py)
errorlog = "-"
loglevel = "info"
preload_app = False
