"""Ingredient lines as people write them -> quantity, unit, food name, preparation.

The parsing itself is ingredient-parser-nlp's CRF model; this module only
normalises its output to the app's canonical unit vocabulary and rejects
lines that cannot describe a real amount (negative, absurd).
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from django.utils.html import strip_tags

from meals.postagger import ensure_pos_tagger

MAX_LINE_LENGTH = 300
MAX_QUANTITY = 10_000

# Canonical units: what RecipeIngredient.unit stores and meals.units converts.
MASS_UNITS = ("g", "kg", "mg", "oz", "lb")
VOLUME_UNITS = ("ml", "l", "cup", "tbsp", "tsp", "fl oz", "pint", "quart", "gallon", "pinch", "dash")
COUNT_UNITS = ("clove", "slice", "can", "jar", "package", "stick", "bunch", "sprig", "head", "piece")
SIZE_UNITS = ("large", "medium", "small")
CONTAINER_UNITS = ("can", "jar", "package")
CANONICAL_UNITS = frozenset((*MASS_UNITS, *VOLUME_UNITS, *COUNT_UNITS, *SIZE_UNITS, ""))

# Spellings the parser returns (pint unit names or raw words) -> canonical unit.
UNIT_SYNONYMS = {
    # pint reads "gr" as the grain (64.8 mg); in recipes it is always grams.
    "gram": "g", "grain": "g", "kilogram": "kg", "kilo": "kg", "milligram": "mg", "ounce": "oz", "pound": "lb",
    "milliliter": "ml", "millilitre": "ml", "liter": "l", "litre": "l", "deciliter": "dl",
    "cup": "cup", "tablespoon": "tbsp", "teaspoon": "tsp", "fluid_ounce": "fl oz",
    "pint": "pint", "quart": "quart", "gallon": "gallon",
    "tbsp": "tbsp", "tbs": "tbsp", "tbl": "tbsp", "t": "tbsp", "tsp": "tsp",
    "pinch": "pinch", "dash": "dash", "clove": "clove", "slice": "slice",
    "can": "can", "tin": "can", "jar": "jar", "package": "package", "pkg": "package",
    "packet": "package", "pack": "package", "envelope": "package", "container": "package",
    "stick": "stick", "bunch": "bunch", "sprig": "sprig", "head": "head",
    "piece": "piece", "pc": "piece",
}
PLURAL_ENDINGS = ("es", "s")
NEGATIVE_QUANTITY = re.compile(r"^\s*[-−–]\s*\d")
WORD_QUANTITIES = {"dozen": 12.0, "half dozen": 6.0, "half-dozen": 6.0}
THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}\b)")
DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}\b)")
# "1-1/2 cups" is a mixed number, not the range 1 to 1/2.
HYPHENATED_MIXED_NUMBER = re.compile(r"(?<![\d/.])(\d+)-(\d+/\d+)\b")


@cache
def crf_parser():
    """ingredient-parser-nlp's parse function, imported on first use.

    Importing it costs most of a second (every web worker and manage.py run
    would pay it), and it must come after ensure_pos_tagger(), because on
    import it otherwise tries to download NLTK's tagger.
    """
    ensure_pos_tagger()
    from ingredient_parser import parse_ingredient

    return parse_ingredient


class IngredientLineError(ValueError):
    """A line that cannot describe a real amount of food; the message says why."""


@dataclass(frozen=True)
class ParsedLine:
    text: str
    quantity: float | None
    quantity_max: float | None
    unit: str
    name: str
    preparation: str
    comment: str
    confidence: float
    unknown_unit: str = ""  # a unit word outside the canonical vocabulary, if any
    container: str = ""  # "can", "jar" or "package" when the line counts containers


def canonical_unit(raw) -> tuple[str, str]:
    """(canonical unit, unknown word) for a parser unit: pint Unit, word, or ''."""
    word = str(raw).strip().lower().rstrip(".")
    if not word:
        return "", ""
    word = word.split()[-1] if " " in word and word not in UNIT_SYNONYMS else word  # "large bunch" -> "bunch"
    candidates = [word] + [word[: -len(end)] for end in PLURAL_ENDINGS if word.endswith(end)]
    for candidate in candidates:
        if candidate in UNIT_SYNONYMS:
            return UNIT_SYNONYMS[candidate], ""
    return "", candidates[-1]


def as_float(value) -> float | None:
    """The parser's quantity (Fraction, number or text such as "dozen") as a float."""
    if value in ("", None):
        return None
    if isinstance(value, str) and value.strip().lower() in WORD_QUANTITIES:
        return WORD_QUANTITIES[value.strip().lower()]
    try:
        number = float(Fraction(value)) if isinstance(value, (Fraction, int, str)) else float(value)
    except OverflowError:
        raise IngredientLineError("the quantity is not a plausible amount") from None
    except (ValueError, ZeroDivisionError):
        raise IngredientLineError(f"cannot read the quantity {str(value)[:20]!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise IngredientLineError(f"cannot read the quantity {str(value)[:20]!r}")
    return number


def choose_amount(amounts: list) -> tuple[float | None, float | None, str, str, str]:
    """Pick (quantity, quantity_max, unit, unknown unit, container) from the parser's amounts.

    "1 (14.5 oz) can" / "2 cans (400 ml)" give a count of containers and a
    per-container size: the size is what can be converted, so the line becomes
    14.5 oz / 800 ml (size times the container count). For other counts
    ("4 chicken breasts (about 1.5 lb)") a weight is per item only when the
    parser marks it SINGULAR; otherwise it is the total.
    """
    if not amounts:
        return None, None, "", "", ""
    first = amounts[0]
    quantity, quantity_max = as_float(first.quantity), as_float(first.quantity_max)
    unit, unknown = canonical_unit(first.unit)
    container = unit if unit in CONTAINER_UNITS else ""
    measurable = MASS_UNITS + VOLUME_UNITS
    size = next((a for a in amounts[1:] if canonical_unit(a.unit)[0] in measurable and as_float(a.quantity)), None)
    if size is not None and unit not in measurable:
        per_item = unit in CONTAINER_UNITS or getattr(size, "SINGULAR", False)
        count = quantity if quantity is not None and per_item else 1.0
        quantity, quantity_max = count * as_float(size.quantity), None
        unit, unknown = canonical_unit(size.unit)
    if quantity_max is not None and quantity is not None and quantity_max <= quantity:
        quantity_max = None
    return quantity, quantity_max, unit, unknown, container


def normalise_numbers(text: str) -> str:
    """Spellings the parser misreads: "1,000 g" (thousands), "1,5 kg" (decimal comma), "1-1/2 cups"."""
    text = THOUSANDS_SEPARATOR.sub("", text)
    text = DECIMAL_COMMA.sub(".", text)
    return HYPHENATED_MIXED_NUMBER.sub(r"\1 \2", text)


def parse_line(text: str) -> ParsedLine:
    """Parse one ingredient line; raise IngredientLineError for impossible amounts."""
    text = " ".join(strip_tags(text).split())
    if not text:
        raise IngredientLineError("empty ingredient line")
    if len(text) > MAX_LINE_LENGTH:
        raise IngredientLineError(f"ingredient line longer than {MAX_LINE_LENGTH} characters")
    if NEGATIVE_QUANTITY.match(text):
        raise IngredientLineError(f"negative quantity in {text!r}")
    try:
        parsed = crf_parser()(normalise_numbers(text))
    except Exception:  # noqa: BLE001 - the parser (and pint under it) can fail in many ways on garbage text
        raise IngredientLineError(f"cannot read the quantity in {text!r}") from None
    quantity, quantity_max, unit, unknown, container = choose_amount(parsed.amount)
    if not unit and not unknown and parsed.size is not None and parsed.size.text.lower() in SIZE_UNITS:
        unit = parsed.size.text.lower()
    largest = max(q for q in (quantity, quantity_max, 0) if q is not None)
    if largest > MAX_QUANTITY:
        raise IngredientLineError(f"quantity {largest:g} in {text!r} is not a plausible amount")
    name = " ".join(part.text for part in parsed.name)
    confidences = [part.confidence for part in parsed.name] + [a.confidence for a in parsed.amount]
    return ParsedLine(
        text=text,
        quantity=round(quantity, 4) if quantity is not None else None,
        quantity_max=round(quantity_max, 4) if quantity_max is not None else None,
        unit=unit,
        name=name,
        preparation=parsed.preparation.text if parsed.preparation else "",
        comment=parsed.comment.text if parsed.comment else "",
        confidence=round(min(confidences), 3) if confidences else 0.0,
        unknown_unit=unknown,
        container=container,
    )
