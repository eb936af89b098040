"""Make NLTK's English part-of-speech tagger available without a network download.

ingredient-parser-nlp ships its own CRF model but asks NLTK for the
"averaged_perceptron_tagger_eng" resource, which NLTK normally downloads at
run time. The same averaged-perceptron model (Honnibal's WSJ tagger, Penn
Treebank tags) is published on PyPI inside textblob-aptagger; we convert its
pickle once into NLTK's JSON layout in a cache folder and put that folder on
NLTK's search path.
"""

import getpass
import importlib.util
import json
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

RESOURCE = "taggers/averaged_perceptron_tagger_eng"
FILE_PREFIX = "averaged_perceptron_tagger_eng"
CACHE_ROOT_ENV = "MEALPLAN_NLTK_DATA"


def cache_root() -> Path:
    """$MEALPLAN_NLTK_DATA, else a per-user folder in the temp dir (so no other user can plant files there)."""
    default = Path(tempfile.gettempdir()) / f"meal-plan-nltk-data-{getpass.getuser()}"
    return Path(os.environ.get(CACHE_ROOT_ENV) or default)


def packaged_model() -> tuple[dict, dict, list]:
    """(weights, tagdict, classes) from textblob-aptagger's file, without importing that package."""
    spec = importlib.util.find_spec("textblob_aptagger")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("textblob-aptagger is not installed (pip install -r requirements.txt)")
    path = Path(spec.submodule_search_locations[0]) / "trontagger-0.1.0.pickle"
    with path.open("rb") as handle:
        weights, tagdict, classes = pickle.load(handle, encoding="latin1")  # noqa: S301 - pinned package file
    return weights, tagdict, sorted(classes)


def write_json_model(folder: Path) -> None:
    """Write the three JSON files atomically, so concurrent processes never read half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    for part, value in zip(("weights", "tagdict", "classes"), packaged_model()):
        target = folder / f"{FILE_PREFIX}.{part}.json"
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as handle:
            json.dump(value, handle)
        os.replace(handle.name, target)


@cache
def ensure_pos_tagger() -> None:
    """Idempotent, once per process: an installed NLTK resource wins over the cache."""
    import nltk  # on first use: importing NLTK takes most of a second

    try:
        nltk.data.find(f"{RESOURCE}/")
        return
    except LookupError:
        pass
    root = cache_root()
    folder = root / RESOURCE
    if not all((folder / f"{FILE_PREFIX}.{part}.json").is_file() for part in ("weights", "tagdict", "classes")):
        write_json_model(folder)
    nltk.data.path.append(str(root))
