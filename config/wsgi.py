"""WSGI entry point: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker loads the ingredient parser's model and the food index at start-up, not on the first import request.
from meals.nutrition.warmup import warm_up  # noqa: E402 - needs the settings configured above

warm_up()
