"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# Each worker loads the ingredient parser's model and the food index at start-up, not on the first import request.
from meals.nutrition.warmup import warm_up  # noqa: E402 - needs the settings configured above

warm_up()
