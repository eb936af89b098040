"""What a web worker loads when it starts, so that the first recipe import does not wait for it: the ingredient
parser's model (5 s on a loaded machine) and the matcher's index of the food table (about 2 s for SR28)."""

import logging

from django.db import DatabaseError

from meals.nutrition.matching import food_index
from meals.parsing.ingredients import warm_up as load_parser_model

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Load the parser model and build the food index. A database that cannot be read yet (not migrated, down)
    leaves the index to the first request instead of stopping the worker. Each gunicorn worker imports the
    application after it is forked (config/gunicorn.py does not preload), so the connection opened here is its own."""
    load_parser_model()
    try:
        food_index()
    except DatabaseError as error:
        logger.warning("food index not built at start-up: %s", error)
