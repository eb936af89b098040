"""Ingredient lines as people write them -> quantity, unit, food name, preparation.

The parsing itself is ingredient-parser-nlp's CRF model; this module only
normalises its output to the app's canonical unit vocabulary and rejects
lines that cannot describe a real amount (negative, absurd).
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache

from django.utils.html import strip_tags

from meals.parsing.postagger import ensure_pos_tagger
from meals.parsing.words import NUMBER_WORDS, singular

MAX_LINE_LENGTH = 1000
MAX_QUANTITY = 10_000

# Canonical units: what RecipeIngredient.unit stores and meals.parsing.units converts.
MASS_UNITS = ("g", "kg", "mg", "oz", "lb")
VOLUME_UNITS = ("ml", "cl", "dl", "l", "cup", "tbsp", "tsp", "fl oz", "pint", "quart", "gallon", "pinch", "dash")
COUNT_UNITS = ("clove", "slice", "can", "jar", "package", "stick", "bunch", "sprig", "head", "piece")
SIZE_UNITS = ("large", "medium", "small")
CONTAINER_UNITS = ("can", "jar", "package")
CANONICAL_UNITS = frozenset((*MASS_UNITS, *VOLUME_UNITS, *COUNT_UNITS, *SIZE_UNITS, ""))

# Spellings the parser returns (pint unit names or raw words) -> canonical unit.
UNIT_SYNONYMS = {
    # pint reads "gr" as the grain (64.8 mg); in recipes it is always grams.
    "gram": "g", "grain": "g", "kilogram": "kg", "kilo": "kg", "milligram": "mg", "ounce": "oz", "pound": "lb",
    "milliliter": "ml", "millilitre": "ml", "liter": "l", "litre": "l", "deciliter": "dl", "centiliter": "cl",
    "g": "g", "kg": "kg", "mg": "mg", "ml": "ml", "cl": "cl", "dl": "dl", "l": "l",
    "cup": "cup", "tablespoon": "tbsp", "teaspoon": "tsp", "fluid_ounce": "fl oz",
    "pint": "pint", "quart": "quart", "gallon": "gallon",
    "tbsp": "tbsp", "tbs": "tbsp", "tbl": "tbsp", "t": "tbsp", "tsp": "tsp", "fl oz": "fl oz",
    "pinch": "pinch", "dash": "dash", "clove": "clove", "slice": "slice",
    "can": "can", "tin": "can", "jar": "jar", "package": "package", "pkg": "package",
    "packet": "package", "pack": "package", "envelope": "package", "container": "package",
    "stick": "stick", "bunch": "bunch", "sprig": "sprig", "head": "head",
    "piece": "piece", "pc": "piece", "strip": "slice", "rasher": "slice", "bulb": "head",
}
# Count words outside the vocabulary that mean a USDA measure word: a rib or shoot of celery is a stalk.
UNKNOWN_UNIT_SPELLINGS = {"rib": "stalk", "shoot": "stalk"}
FLUID_OUNCE = re.compile(r"\bfl(?:uid)?\s*(?:ounces?|oz)\b")
NEGATIVE_QUANTITY = re.compile(r"^\s*[-−–]\d")
# A list bullet ("- 1 cup sugar", "• 2 eggs") is not a minus sign: it is followed by a space.
BULLET = re.compile(r"^\s*[-−–—•*·▪►◦]+\s+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Metric units in the spellings people use -> the symbol the parser reads ("100 grammes", "2 kilos", "1 litre").
METRIC_SPELLINGS = tuple((re.compile(rf"(?<=\d)\s*(?:{words})\.?(?![a-z])", re.IGNORECASE), f" {symbol}") for words, symbol in (
    ("kilogrammes|kilogramme|kilograms|kilogram|kilos|kilo|kgs|kg", "kg"),
    ("milligrammes|milligramme|milligrams|milligram|mgs|mg", "mg"),
    ("grammes|gramme|grams|gram|grms|grm|grs|gr|gms|gm|g", "g"),
    ("millilitres|millilitre|milliliters|milliliter|mls|ml", "ml"),
    ("litres|litre|liters|liter|ltrs|ltr|lt|l", "l"),
))
# Units the parser does not know, rewritten in millilitres ("2 dl" -> "200 ml").
# The amount may be a fraction, a mixed number or a range ("2 1/2 dl" is 250 ml, not "2 1/200 ml").
LITRE_AMOUNT = r"(?:\d+\s+)?\d+\s*/\s*\d+|\d+(?:\.\d+)?"
CENTI_DECI_LITRES = re.compile(rf"(?<![\d/.])({LITRE_AMOUNT})(?:\s*[-–]\s*({LITRE_AMOUNT}))?\s*(centi|deci|c|d)"
                               r"(?:litres?|liters?|l)\b\.?", re.IGNORECASE)
MIXED_NUMBER = re.compile(r"(\d+)\s+(\d+\s*/\s*\d+)")
MILLILITRES_IN = {"c": 10, "centi": 10, "d": 100, "deci": 100}
# "(size: L)" is an egg or garment size, not litres.
# The end of a sentence: what follows is a note on the ingredient ("2 slice cheese. Use a mid-aged one.").
SENTENCE_END = re.compile(r"(?:(?<=[^\W\d_])|(?<=\)))[.!?]\s+(?=[A-Z])")
# Abbreviations a full stop ends without ending the sentence ("2 lbs. Potatoes", "approx. 2 cups").
ABBREVIATIONS = frozenset({"lbs", "ozs", "qts", "pts", "pkg", "pkgs", "tbs", "tbsp", "tsp", "approx", "med", "doz",
                           "env", "gal", "btl", "cont", "mrs", "vol"})
LETTERS = re.compile(r"[^\W\d_]+")
DIGIT = re.compile(r"\d")
BRACKETED = re.compile(r"\([^)]*\)")
SIZE_NOTE = re.compile(r"[(,]?\s*\bsize\s*:?\s*(XXL|XL|L|M|S)\b\s*\)?", re.IGNORECASE)
SIZE_LETTERS = {"xxl": "large", "xl": "large", "l": "large", "m": "medium", "s": "small"}
# "4 (4 ounce) fillets": the bracketed amount right after the count is each item's.
PER_ITEM_AMOUNT = re.compile(r"^[\d\s½¼¾⅓⅔⅛⅜⅝⅞/.,-]+\((?:about|approx\.?|approximately|~|each)?\s*[\d.½¼¾⅓⅔⅛]")
STRING_RANGE = re.compile(r"^\s*(\d*\.?\d+)\s*[-–]\s*(\d*\.?\d+)\s*$")
# Lines that add nothing measurable: an optional or garnish ingredient, or "to taste" without an amount.
NOT_COUNTED_ALWAYS = re.compile(r"\b(optional|garnish(?:ing)?|decorat(?:e|ion|ing))\b", re.IGNORECASE)
# Without an amount, a free choice ("any vegetables you like", "cheese of your choice") is not measurable either.
NOT_COUNTED_WITHOUT_AMOUNT = re.compile(r"\b(to taste|as needed|as required|if needed|to cover|for (?:dusting|greasing|"
                                        r"brushing|serving|rolling|sprinkling|the pan|coating)|cooking spray|spray|"
                                        r"of (?:your )?choice|you (?:want|like)|desired|whatever you|q\.b\.)(?!\w)",
                                        re.IGNORECASE)
# "oil for frying", "deep fryer" -- but a "broiler-fryer chicken" is a kind of chicken, not a frying line.
DEEP_FRYING = re.compile(r"\b(deep[- ]?fr(?:y|ying|ied|yer)|for frying|to fry|frying|(?:a|the|an air) fryer)\b",
                         re.IGNORECASE)
WORD_QUANTITIES = {"dozen": 12.0, "half dozen": 6.0, "half-dozen": 6.0}
THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}\b)")
DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}\b)")
# "1-1/2 cups" is a mixed number, not the range 1 to 1/2.
HYPHENATED_MIXED_NUMBER = re.compile(r"(?<![\d/.])(\d+)-(\d+/\d+)\b")
# Amounts in words the parser cannot read ("Half a pound", "two or three onions", "a few cloves"), as numbers;
# "a few" is three and "a couple" two (the least they say).
WORD_AMOUNTS = (
    (re.compile(r"\b(?:a\s+)?half\s+an?\b|\ba\s+half\b", re.IGNORECASE), "1/2"),
    (re.compile(r"\b(?:a\s+)?quarter\s+of\s+an?\b", re.IGNORECASE), "1/4"),
    (re.compile(r"\b(?:a\s+)?few\b", re.IGNORECASE), "3"),
    (re.compile(r"\ba\s+couple(?:\s+of)?\b", re.IGNORECASE), "2"),
    (re.compile(r"^\s*a\s+little(?:\s+bit)?(?:\s+of)?\b", re.IGNORECASE), "1 pinch"),
    (re.compile(r"\bqts?\b\.?", re.IGNORECASE), "quart"),
    (re.compile(r"(?<=\w)\+(?=\s|$)"), ""),  # "30g+ butter": at least 30 g
    (re.compile(rf"^\s*({'|'.join(NUMBER_WORDS)})\b(?:\s+(?:or|to)\s+({'|'.join(NUMBER_WORDS)})\b)?", re.IGNORECASE),
     lambda m: NUMBER_WORDS[m.group(1).lower()] + (f"-{NUMBER_WORDS[m.group(2).lower()]}" if m.group(2) else "")),
)
# The amount after the name ("juniper berries: 5", "Star anise, 2", "brown stock: 100ml | 1/2 cup"): moved to
# the front, and a second measure after "|" dropped.
AMOUNT_LAST = re.compile(r"^([^\d:|]+?)\s*[:,]\s*(\d[^:]*?)\s*(?:\|.*)?$")
# Old and household measures, in the units the parser reads: a salt-spoon is a quarter teaspoon, a spoon(ful)
# a tablespoon (as continental recipes mean it); a glass or mug 250 ml, a wine-glass 100 ml, a handful half
# a cup, a splash a tablespoon, a shot or jigger 1.5 fl oz (44 ml).
SPOON_SPELLINGS = (
    (re.compile(r"\b(?:an?\s+)?salt-?spoon(?:ful)?s?\b", re.IGNORECASE), "1/4 tsp"),
    (re.compile(r"\btea-?spoon(?:ful)?s?\b", re.IGNORECASE), "tsp"),
    (re.compile(r"\b(?:table|dessert|big)-?\s?spoon(?:ful)?s?\b", re.IGNORECASE), "tbsp"),
    (re.compile(r"\bspoon(?:ful)?s?\b", re.IGNORECASE), "tbsp"),
    (re.compile(r"(?<=\d)\s*tblsps?\b\.?", re.IGNORECASE), " tbsp"),  # "2 tblsp butter"
)
HOUSEHOLD_MILLILITRES = {"wine-glass": 100, "wineglass": 100, "glass": 250, "mug": 250, "handful": 120,
                         "splash": 15, "shot": 44, "jigger": 44}
AMOUNT = r"(\d+(?:\.\d+)?(?:\s*/\s*\d+)?|an?)"
HOUSEHOLD_MEASURE = re.compile(
    r"(?:" + AMOUNT + r"(?:\s*[-–]\s*(\d+(?:\.\d+)?))?\s+|^\s*)(?:good\s+|small\s+|large\s+|big\s+)?"
    rf"({'|'.join(sorted(HOUSEHOLD_MILLILITRES, key=len, reverse=True))})(?:e?s)?\b(?:\s+of\b)?", re.IGNORECASE)


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


def warm_up() -> None:
    """Load the parser's model now (about a second, longer on a busy machine), so that a web
    worker pays it at start-up (config/wsgi.py) and not on the first recipe import."""
    crf_parser()("1 cup flour")


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
    purpose: str = ""  # "for frying", "for garnish"

    @property
    def amount(self) -> float | None:
        """The quantity to count: the midpoint of a range ("2-3 cloves" -> 2.5)."""
        if self.quantity is None or self.quantity_max is None:
            return self.quantity
        return (self.quantity + self.quantity_max) / 2


def canonical_unit(raw) -> tuple[str, str]:
    """(canonical unit, unknown word) for a parser unit: pint Unit, word, or ''.

    A unit of several words ("fluid ounces cans", "large bunch") is its measurable word if it has one,
    else its last word."""
    text = FLUID_OUNCE.sub("fluid_ounce", str(raw).strip().lower().replace(".", " "))
    words = text.split()
    if not words:
        return "", ""
    found = [UNIT_SYNONYMS.get(singular(word), UNIT_SYNONYMS.get(word)) for word in words]
    measurable = next((unit for unit in found if unit in MASS_UNITS + VOLUME_UNITS), None)
    if measurable:
        return measurable, ""
    if found[-1]:
        return found[-1], ""
    unknown = singular(words[-1])
    return "", UNKNOWN_UNIT_SPELLINGS.get(unknown, unknown)


def not_counted_reason(text: str, has_quantity: bool) -> str:
    """Why a line counts as zero grams ("optional", "to taste" without an amount), or ""."""
    found = NOT_COUNTED_ALWAYS.search(text) or (None if has_quantity else NOT_COUNTED_WITHOUT_AMOUNT.search(text))
    return f"{found.group(1).lower()}: counted as 0 g" if found else ""


def is_deep_frying(text: str) -> bool:
    return bool(DEEP_FRYING.search(text))


def quantity_range(value, value_max) -> tuple[float | None, float | None]:
    """(low, high) from the parser's quantity; it leaves ".5-1" and "1-1.5" as text."""
    found = STRING_RANGE.match(value) if isinstance(value, str) else None
    if found:
        return float(found.group(1)), float(found.group(2))
    return as_float(value), as_float(value_max)


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


def first_amount(amount) -> tuple[float | None, float | None, object]:
    """(quantity, quantity_max, unit) of an amount; a composite one ("1 lb 2 oz", "½ cup plus 2 tbsp")
    is summed in the unit of its first part."""
    parts = getattr(amount, "amounts", None)
    if parts is None:
        return *quantity_range(amount.quantity, amount.quantity_max), amount.unit
    try:
        total = amount.combined().to(parts[0].unit).magnitude
    except Exception:  # noqa: BLE001 - pint refuses to add incompatible parts ("1 cup plus 2 eggs")
        return first_amount(parts[0])
    return as_float(total), None, parts[0].unit


def choose_amount(amounts: list, text: str = "") -> tuple[float | None, float | None, str, str, str]:
    """Pick (quantity, quantity_max, unit, unknown unit, container) from the parser's amounts.

    "1 (14.5 oz) can" / "2 cans (400 ml)" give a count of containers and a
    per-container size: the size is what can be converted, so the line becomes
    14.5 oz / 800 ml (size times the container count). For other counts a
    weight is per item when it is bracketed right after the count ("4 (4 ounce)
    fillets") or the parser marks it SINGULAR; otherwise ("4 chicken breasts
    (about 1.5 lb)") it is the total.
    """
    if not amounts:
        return None, None, "", "", ""
    quantity, quantity_max, first_unit = first_amount(amounts[0])
    unit, unknown = canonical_unit(first_unit)
    container = unit if unit in CONTAINER_UNITS else ""
    measurable = MASS_UNITS + VOLUME_UNITS
    size = next((a for a in amounts[1:] if canonical_unit(getattr(a, "unit", ""))[0] in measurable
                 and first_amount(a)[0]), None)
    if size is not None and unit not in measurable:
        per_item = unit in CONTAINER_UNITS or getattr(size, "SINGULAR", False) or bool(PER_ITEM_AMOUNT.match(text))
        count = (quantity + (quantity_max or quantity)) / 2 if quantity is not None and per_item else 1.0
        low, high, _ = first_amount(size)  # "1 (2 to 3 pound) chicken": 2-3 lb, its midpoint counted
        quantity, quantity_max = count * low, count * high if high is not None else None
        unit, unknown = canonical_unit(size.unit)
    if quantity_max is not None and quantity is not None and quantity_max <= quantity:
        quantity_max = None
    return quantity, quantity_max, unit, unknown, container


def amount_value(text: str | None) -> float:
    """A number, fraction or "a"/"an" (one, as is no number at all) as written before a measure."""
    if text is None or text.lower() in ("a", "an"):
        return 1.0
    top, _, bottom = text.replace(" ", "").partition("/")
    return float(top) / float(bottom) if bottom and float(bottom) else float(top)


def mixed_value(text: str) -> float:
    """A number, fraction or mixed number ("2 1/2")."""
    mixed = MIXED_NUMBER.fullmatch(text.strip())
    return float(mixed.group(1)) + amount_value(mixed.group(2)) if mixed else amount_value(text)


def in_millilitres(found: re.Match) -> str:
    """Centi- or decilitres (CENTI_DECI_LITRES) in millilitres, a range as a range."""
    low, high, prefix = found.groups()
    size = MILLILITRES_IN[prefix.lower()]
    amounts = [mixed_value(amount) * size for amount in (low, high) if amount]
    return "-".join(f"{amount:g}" for amount in amounts) + " ml"


def household_millilitres(found: re.Match) -> str:
    size = HOUSEHOLD_MILLILITRES[found.group(3).lower()]
    low = amount_value(found.group(1)) * size
    return f"{low:g}-{float(found.group(2)) * size:g} ml" if found.group(2) else f"{low:g} ml"


def normalise_words(text: str) -> str:
    """Amounts in words and household measures as the parser reads them ("Half a glass of milk" -> "125 ml milk")."""
    text = AMOUNT_LAST.sub(r"\2 \1", text)
    for pattern, replacement in (*WORD_AMOUNTS, *SPOON_SPELLINGS):
        text = pattern.sub(replacement, text)
    return HOUSEHOLD_MEASURE.sub(household_millilitres, text)


def normalise_numbers(text: str) -> str:
    """Spellings the parser misreads: "1,000 g" (thousands), "1,5 kg" (decimal comma), "1-1/2 cups",
    "100 grammes", amounts in words and household measures."""
    text = normalise_words(text)
    text = THOUSANDS_SEPARATOR.sub("", text)
    text = DECIMAL_COMMA.sub(".", text)
    text = CENTI_DECI_LITRES.sub(in_millilitres, text)
    for spelling, symbol in METRIC_SPELLINGS:
        text = spelling.sub(symbol, text)
    return HYPHENATED_MIXED_NUMBER.sub(r"\1 \2", text)


def clean_line(text: str) -> str:
    """One line of plain text: no HTML, control characters, list bullet or repeated spaces."""
    text = " ".join(CONTROL_CHARACTERS.sub(" ", strip_tags(text)).split())
    return BULLET.sub("", text)


def first_sentence(text: str) -> tuple[str, str]:
    """(the ingredient, the note after it) of a line that goes on after a sentence ("2 slice cheese. Use a
    mid-aged one."); a unit's abbreviation ("1 Tbsp. Butter", "St. Louis ribs") ends no sentence, and a line
    whose amount comes only after its first sentence ("Lamb shoulder. I usually get half a shoulder, 2 kg.")
    is read whole."""
    for found in SENTENCE_END.finditer(text):
        word = LETTERS.findall(text[:found.start()])[-1].lower()
        if len(word) > 2 and word not in ABBREVIATIONS and not canonical_unit(word)[0]:
            head, rest = text[:found.start()], text[found.end():]
            return (text, "") if DIGIT.search(rest) and not DIGIT.search(head) else (head, rest)
    return text, ""


def joined_name(parts, sentence: str, preparation: str) -> str:
    """The parser's name parts as one name: alternatives joined by "or" (meals.nutrition.matching takes the first),
    but two parts split only by words of the preparation (and brackets) are one name: "White sliced bread" is white
    bread, not "White or bread"."""
    lowered, prepared = sentence.lower(), set(LETTERS.findall(preparation.lower()))
    name, end = "", None
    for part in parts:
        start = lowered.find(part.text.lower(), end or 0)
        between = BRACKETED.sub(" ", lowered[end:start]) if end is not None and start >= end else None
        words = set(LETTERS.findall(between)) if between is not None else set()
        one_name = bool(words) and words <= prepared and not LETTERS.sub("", between).strip()
        joint = " " if one_name else " or "
        name = f"{name}{joint}{part.text}" if name else part.text
        end = start + len(part.text) if start >= 0 else None
    return name


def short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:59] + "…")


PARSE_CACHE_SIZE = 8192


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_line(text: str) -> ParsedLine:
    """Parse one ingredient line; raise IngredientLineError for impossible amounts.

    Cached per process: the CRF parser is a third of a line's time and the same lines recur across recipes
    ("1 teaspoon salt", "2 cloves garlic, minced": half of the development set's lines are repeats).
    The result depends on the text alone (ParsedLine is frozen); errors are not cached."""
    text = clean_line(text)
    if not text:
        raise IngredientLineError("empty ingredient line")
    if len(text) > MAX_LINE_LENGTH:
        raise IngredientLineError(f"ingredient line longer than {MAX_LINE_LENGTH} characters")
    if NEGATIVE_QUANTITY.match(text):
        raise IngredientLineError(f"negative quantity in {short(text)}")
    ingredient, note = first_sentence(text)
    size_note = SIZE_NOTE.search(ingredient)
    try:
        parsed = crf_parser()(normalise_numbers(SIZE_NOTE.sub("", ingredient)))
    except Exception:  # noqa: BLE001 - the parser (and pint under it) can fail in many ways on garbage text
        raise IngredientLineError(f"cannot read the quantity in {short(text)}") from None
    quantity, quantity_max, unit, unknown, container = choose_amount(parsed.amount, ingredient)
    size_word = parsed.size.text.lower() if parsed.size is not None else ""
    if size_note and not size_word:
        size_word = SIZE_LETTERS[size_note.group(1).lower()]
    if not unit and not unknown and size_word in SIZE_UNITS:
        unit = size_word
    largest = max(q for q in (quantity, quantity_max, 0) if q is not None)
    if largest > MAX_QUANTITY:
        raise IngredientLineError(f"quantity {largest:g} in {short(text)} is not a plausible amount")
    name = joined_name(parsed.name, ingredient, parsed.preparation.text if parsed.preparation else "")
    confidences = [part.confidence for part in parsed.name] + [a.confidence for a in parsed.amount]
    return ParsedLine(
        text=text,
        quantity=round(quantity, 4) if quantity is not None else None,
        quantity_max=round(quantity_max, 4) if quantity_max is not None else None,
        unit=unit,
        name=name,
        preparation=parsed.preparation.text if parsed.preparation else "",
        comment=", ".join(part for part in (parsed.comment.text if parsed.comment else "", note) if part),
        confidence=round(min(confidences), 3) if confidences else 0.0,
        unknown_unit=unknown,
        container=container,
        purpose=parsed.purpose.text if parsed.purpose else "",
    )
