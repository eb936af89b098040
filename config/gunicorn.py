"""gunicorn settings: `gunicorn -c config/gunicorn.py` (flags on the command line still win).

One worker process per core, each with a pool of threads (gthread): a request
spends part of its time waiting on PostgreSQL or Redis, and another thread of
the same process runs meanwhile, while separate processes keep the GIL from
capping the machine at one core. `bench/load.py` measures this configuration.
"""

import os

wsgi_app = "config.wsgi"
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 16))
# Browsers (and a proxy in front) reuse connections between page loads.
keepalive = 30
