"""Pure scaling of a recipe's ingredient lines to the servings someone cooks.

The line is shown as the recipe writes it, with its leading amount multiplied
and turned into something a cook can measure: spoons and cups in eighths,
quarters and thirds (moving between teaspoons, tablespoons and cups as the
amount grows or shrinks), weights and metric volumes rounded, counted things
in halves ("½ large onion", whole ones from 3 up), and the unit or counted
noun made to agree with the new amount ("1 clove" → "2 cloves").
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from meals.parsing.ingredients import UNIT_SYNONYMS, normalise_numbers
from meals.parsing.words import plural as plural_of
from meals.parsing.words import singular

FRACTIONS = {0.25: "¼", 0.33: "⅓", 0.5: "½", 0.67: "⅔", 0.75: "¾"}
UNICODE_FRACTIONS = {
    "⅛": Fraction(1, 8), "¼": Fraction(1, 4), "⅜": Fraction(3, 8), "½": Fraction(1, 2), "⅝": Fraction(5, 8),
    "¾": Fraction(3, 4), "⅞": Fraction(7, 8), "⅓": Fraction(1, 3), "⅔": Fraction(2, 3),
}
GLYPHS = {value: glyph for glyph, value in UNICODE_FRACTIONS.items()}

_GLYPH_CLASS = "".join(UNICODE_FRACTIONS)
_NUMBER = rf"\d+\s+\d+/\d+|\d+/\d+|\d+\s*[{_GLYPH_CLASS}]|\d+(?:\.\d+)?|[{_GLYPH_CLASS}]"
# "about 120 g", "around 5 tbsp": a word saying the amount is rough comes before it and stays.
ROUGHLY = r"(?:about|around|approx\.?|approximately|roughly|circa|ca\.|~)"
LEADING_AMOUNT = re.compile(
    rf"^\s*(?:{ROUGHLY}\s*)?(?P<low>{_NUMBER})(?:(?P<dash>\s*[-–]\s*|\s*to\s+|\s+or\s+)(?P<high>{_NUMBER}))?",
    re.IGNORECASE)
# Another measure of the same amount right after its unit: "15 g (1 tbsp)", "100 g / ½ cup", "14 oz or 400 g",
# "270 g - 800 ml"; or the other end of a range written with both units ("30g to 70g").
EQUIVALENT = re.compile(rf"(?P<open>\s*\(\s*|\s*/\s*|\s+or\s+|\s+[-–]\s+|\s+to\s+)(?P<amount>(?:{ROUGHLY}\s*)?(?:{_NUMBER})"
                        rf"(?:\s*(?:[-–]|to)\s*(?:{_NUMBER}))?(?:\s*[^\W\d_]+\.?)?)(?P<close>\s*\))?",
                        re.IGNORECASE)
# What may sit between the amount and its unit: a per-item size, "1 (400 g) can".
SIZE_NOTE = re.compile(r"\s*\([^()]*\)")
WORD = re.compile(r"\s*(?P<word>[^\W\d_]+)\.?")
# A total weight written after the food, "1/4 cup chia seeds (40 g)": scaled like the amount.
WEIGHT_NOTE = re.compile(rf"\((?P<about>about |approx\.? |~)?(?P<amount>{_NUMBER})\s*(?P<unit>g|kg|oz|lb|ml)\)")
# Where a counted thing's name ends ("2 large eggs, beaten", "1 handful of basil").
NAME_END = re.compile(r",|;|\(|\s(?:of|or|for|to|and|with)\s|\s[-–]\s")
# Words that count pieces, beside meals.parsing.ingredients' units ("2 stalks celery": "stalk" is the counted noun).
PIECES = frozenset({
    "stalk", "block", "fillet", "rib", "ear", "leaf", "strip", "sheet", "loaf", "handful", "knob", "scoop",
    "wedge", "bulb", "box", "carton", "bag", "bottle", "pouch", "rasher", "cube", "spear", "drop", "splash",
    "bar", "pod", "sprig", "link", "tub", "serving", "portion",
})
# An amount of these is a length ("5 cm piece of ginger"): the piece after it is one, whatever the length.
LENGTHS = frozenset({"cm", "mm", "inch", "inches", "in"})
# Counted amounts a cook does not halve.
WHOLE_UNITS = frozenset({"pinch", "dash"})


INFINITY = float("inf")
# A weight scaled below this many grams is measured in spoons when the food's spoon weighs it ("0.5 g salt" is
# no amount a kitchen scale shows; "⅛ tsp salt" is).
SPOON_BELOW_GRAMS = 10
SPOON_TEASPOONS = {"tsp": 1, "tbsp": 3, "cup": 48, "fl oz": 6}  # USDA spoon, cup and fluid ounce portions, in teaspoons


@dataclass(frozen=True)
class Measure:
    """One step of a ladder of units: `size` in the ladder's smallest unit, and the steps it is
    measured in: (below this amount, step), first match wins."""

    abbreviation: str
    word: str
    size: Fraction
    steps: tuple[tuple[float, Fraction], ...]
    least: Fraction = Fraction(0)  # the smallest amount worth saying in this unit ("¼ cup", not "⅛ cup")
    metric: bool = False  # shown with decimals ("1.25 kg") rather than fractions
    thirds: bool = False  # also ⅓ and ⅔ (measuring cups have them)
    within: Fraction | None = None  # the largest share of the amount its rounding may add or drop

    def fits(self, amount: Fraction) -> bool:
        """Whether `amount` (in this unit) is big enough for it (a little under is fine with fractions)
        and, for a coarse unit, measured closely enough by it ("18 oz" rather than "1¼ lb")."""
        if amount < self.least * (1 if self.metric else Fraction(19, 20)):
            return False
        return self.within is None or abs(self.rounded(amount) - amount) <= amount * self.within

    def rounded(self, amount: Fraction) -> Fraction:
        """The nearest amount this measure can be measured in."""
        step = next(step for below, step in self.steps if amount < below)
        options = (nearest(amount, step), nearest(amount, Fraction(1, 3))) if self.thirds else (nearest(amount, step),)
        return min(options, key=lambda option: abs(option - amount))


def _steps(*pairs) -> tuple[tuple[float, Fraction], ...]:
    """Rounding steps by size; the last one must cover everything (below INFINITY)."""
    assert pairs[-1][0] == INFINITY
    return tuple((below, Fraction(step)) for below, step in pairs)


QUARTERS = _steps((INFINITY, Fraction(1, 4)))
SPOONS = (
    Measure("tsp", "teaspoon", Fraction(1), _steps((1, Fraction(1, 8)), (INFINITY, Fraction(1, 4)))),
    Measure("tbsp", "tablespoon", Fraction(3), _steps((INFINITY, Fraction(1, 2))), least=Fraction(1)),
    Measure("cup", "cup", Fraction(48), QUARTERS, least=Fraction(1, 4), thirds=True),
)
METRIC_SMALL = _steps((2, Fraction(1, 2)), (20, 1), (100, 5), (INFINITY, 10))
METRIC_LARGE = _steps((INFINITY, Fraction(1, 20)))
GRAMS = (
    Measure("g", "gram", Fraction(1), METRIC_SMALL, metric=True),
    Measure("kg", "kilogram", Fraction(1000), METRIC_LARGE, least=Fraction(1), metric=True),
)
MILLILITERS = (
    Measure("ml", "milliliter", Fraction(1), METRIC_SMALL, metric=True),
    Measure("l", "liter", Fraction(1000), METRIC_LARGE, least=Fraction(1), metric=True),
)
OUNCES = (
    Measure("oz", "ounce", Fraction(1), _steps((4, Fraction(1, 4)), (INFINITY, Fraction(1, 2)))),
    Measure("lb", "pound", Fraction(16), QUARTERS, least=Fraction(1), within=Fraction(1, 10)),
)
LADDERS = (SPOONS, GRAMS, MILLILITERS, OUNCES)
# canonical unit (meals.parsing.ingredients) → (ladder, step); other units are counted.
MEASURED = {
    measure.abbreviation: (ladder, measure) for ladder in LADDERS for measure in ladder
}
# Short unit spellings, never pluralised ("2 tbsp", "3 oz").
ABBREVIATIONS = frozenset({"tsp", "tbsp", "tbs", "tbl", "g", "kg", "ml", "l", "oz", "lb", "pkg", "pc", "fl"})


def nearest(amount: Fraction, step) -> Fraction:
    """Round half up to a multiple of `step`."""
    step = Fraction(step)
    return floor(amount / step + Fraction(1, 2)) * step


def parse_number(text: str) -> Fraction:
    """"1 1/2", "3/4", "2½", "0.5", "¼" → an exact Fraction."""
    text = text.strip()
    if text[-1] in UNICODE_FRACTIONS:
        whole = text[:-1].strip()
        return (Fraction(whole) if whole else 0) + UNICODE_FRACTIONS[text[-1]]
    return sum((Fraction(part) for part in text.split()), Fraction(0))


def friendly_number(value: float) -> str:
    """1.5 → "1½", 0.333 → "⅓", 12.46 → "12.5": kitchen-readable quantities."""
    whole = int(value)
    fraction = FRACTIONS.get(round(value - whole, 2))
    if fraction:
        return f"{whole or ''}{fraction}"
    return f"{round(value, 2 if value < 10 else 1):g}"


def kitchen_number(value: Fraction, *, metric: bool = False) -> str:
    """Fraction(5, 2) → "2½", Fraction(1, 8) → "⅛"; metric amounts as decimals ("1.25")."""
    if metric or value.denominator not in (1, *(fraction.denominator for fraction in GLYPHS)):
        return f"{float(value):g}"
    whole, part = divmod(value, 1)
    return f"{whole or ''}{GLYPHS[part]}" if part else str(whole)


def round_count(amount: Fraction, unit: str, *, fine: bool = False) -> Fraction:
    """Counted things in halves below three and whole from there, never less than half of one; `fine`: in eighths
    below one (another measure of an amount, "1 tablespoon (⅛ stick) butter", says what it is, not what to take)."""
    if fine and amount < 1:
        return max(nearest(amount, Fraction(1, 8)), Fraction(1, 8))
    if unit in WHOLE_UNITS:
        return max(nearest(amount, 1), Fraction(1))
    return max(nearest(amount, Fraction(1, 2) if amount < 3 else 1), Fraction(1, 2))


def measure_in(ladder: tuple[Measure, ...], amount: Fraction) -> tuple[Measure, Fraction]:
    """The largest unit of the ladder that fits the amount (given in the ladder's smallest unit), and
    the amount rounded in it (never zero)."""
    measure = next((measure for measure in reversed(ladder[1:]) if measure.fits(amount / measure.size)), ladder[0])
    smallest_step = Fraction(1, 2) if measure.metric else Fraction(1, 8)
    return measure, max(measure.rounded(amount / measure.size), smallest_step)


def is_plural(word: str) -> bool:
    return singular(word) != word


def agree(word: str, *, was_plural: bool | None, plural: bool) -> str:
    """`word` in the number its new amount needs ("clove" → "cloves"); abbreviations never change.

    A food's name changes only when the amount crosses one (`was_plural` given), so the
    writer's "2 medium zucchini" stays; a unit (`was_plural` None) always agrees.
    """
    if was_plural == plural or word.lower() in ABBREVIATIONS:
        return word
    if plural:
        return word if is_plural(word) else plural_of(word)
    return singular(word)


def canonical(word: str) -> str:
    """"Tablespoons" → "tbsp", "cloves" → "clove", "lbs" → "lb"; "" for a word that is not a unit."""
    word = word.lower()
    for candidate in (word, word.removesuffix("es"), word.removesuffix("s"), singular(word)):
        if candidate in MEASURED or candidate in PIECES or candidate in ABBREVIATIONS:
            return candidate
        if candidate in UNIT_SYNONYMS and candidate != "t":
            return UNIT_SYNONYMS[candidate]
    return ""


@dataclass(frozen=True)
class Amount:
    low: Fraction
    high: Fraction | None
    dash: str

    @property
    def top(self) -> Fraction:
        return self.high if self.high is not None else self.low

    def scaled(self, factor: Fraction) -> "Amount":
        return Amount(self.low * factor, None if self.high is None else self.high * factor, self.dash)


def _written(low: str, high: str | None, dash: str) -> str:
    """"1–2", "1 to 2", "1 or 2"; one amount when both ends rounded to the same ("0.5–0.5 g" is "0.5 g")."""
    if high is None or high == low:
        return low
    word = dash.strip().lower()
    return low + (f" {word} " if word in ("to", "or") else "–") + high


def _scale_measured(amount: Amount, unit: str, written_unit: str) -> tuple[str, str]:
    """(amount text, unit text) of a weight or volume, in the ladder unit that fits it."""
    ladder, measure = MEASURED[unit]
    low_measure, low = measure_in(ladder, amount.low * measure.size)
    high = None
    if amount.high is not None:
        high = low_measure.rounded(amount.high * measure.size / low_measure.size)
    if high == low:
        high = None
    plural = (high or low) > 1
    if not written_unit.lower().startswith(measure.word):  # abbreviated: "tbsp", "lbs" → "lb"; "cup" has none
        unit_text = agree(low_measure.abbreviation, was_plural=None, plural=plural)
    elif low_measure == measure:
        unit_text = agree(written_unit, was_plural=None, plural=plural)
    else:
        unit_text = agree(low_measure.word, was_plural=None, plural=plural)
    numbers = [kitchen_number(value, metric=low_measure.metric) for value in (low, high) if value is not None]
    return _written(numbers[0], numbers[1] if len(numbers) > 1 else None, amount.dash), unit_text


def _scale_equivalent(rest: str, factor: Fraction) -> str:
    """Scale another measure of the amount written right after its unit ("15 g (1 tbsp)", "100 g / ½ cup",
    "14 ounces or 400 g"): it measures the same total, so it changes with it."""
    match = EQUIVALENT.match(rest)
    bracket = match is not None and match["open"].strip() == "("
    if match is None or bracket and not match["close"]:
        return _scale_weight_note(rest, factor)
    end = match.end() if bracket else match.end("amount")
    scaled = scale_text(match["amount"], float(factor), fine_counts=True)
    return rest[:match.start("amount")] + scaled + rest[match.end("amount"):end] + _scale_weight_note(rest[end:], factor)


def _scale_weight_note(rest: str, factor: Fraction) -> str:
    """Scale a total weight in brackets after the food name."""
    def replace(match: re.Match) -> str:
        amount = Amount(parse_number(match["amount"]) * factor, None, "")
        scaled, unit = _scale_measured(amount, match["unit"], match["unit"])
        return f"({match['about'] or ''}{scaled} {unit})"

    return WEIGHT_NOTE.sub(replace, rest)


def _container(rest: str) -> re.Match | None:
    """A container or piece counted after a size ("2 large cans tomatoes", "1 29oz large can tomato sauce",
    "2 15-oz cans beans"): the first word of the name that counts pieces (not a weight or volume)."""
    end = NAME_END.search(rest)
    name = rest[: end.start()] if end else rest
    return next((word for word in re.finditer(r"[^\W\d_][\w'-]*", name)
                 if canonical(word[0]) and canonical(word[0]) not in MEASURED), None)


def _counted_noun(rest: str, *, was_plural: bool) -> re.Match | None:
    """The counted thing's noun: the name's last plural word if it was plural ("2 eggs beaten"),
    else its last word not ending in -ed ("1 large onion, chopped" → "onion")."""
    end = NAME_END.search(rest)
    name = rest[: end.start()] if end else rest
    words = [word for word in re.finditer(r"[^\W\d_][\w'-]*", name) if not word[0].endswith("ed")]
    if was_plural:
        words = [word for word in words if is_plural(word[0])]
    return words[-1] if words else None


def grams_per_teaspoon(portions) -> float | None:
    """A teaspoon's grams from the food's USDA portions ((amount, measure, grams)): its teaspoon, tablespoon or cup,
    plain or qualified ("cup, packed", "cup packed")."""
    for amount, measure, grams in portions:
        words = measure.split(",")[0].split("(")[0].lower().split()
        unit = " ".join(words[:2]) if words[:2] == ["fl", "oz"] else (words[0] if words else "")
        if unit in SPOON_TEASPOONS and amount and grams:
            return grams / amount / SPOON_TEASPOONS[unit]
    return None


def _in_spoons(amount: Amount, grams_per_tsp: float | None) -> tuple[str, str] | None:
    """(amount text, unit) of a small weight in spoons, or None when it is not small or no spoon weighs it."""
    if not grams_per_tsp or amount.top >= SPOON_BELOW_GRAMS:
        return None
    per_tsp = Fraction(grams_per_tsp).limit_denominator(1000)
    return _scale_measured(Amount(amount.low / per_tsp, None if amount.high is None else amount.high / per_tsp,
                                  amount.dash), "tsp", "tsp")


def in_spoons(grams: float, grams_per_tsp: float) -> str:
    """A few grams as the spoons that hold them: "½ tsp", "1½ tbsp"."""
    amount, unit = _scale_measured(Amount(Fraction(grams / grams_per_tsp).limit_denominator(1000), None, ""), "tsp",
                                   "tsp")
    return f"{amount} {unit}"


# An amount after the food's name ("Sugar 2 tbsp", "Rice (50 grams)", "Zest of 2 lemons", "Star anise, 2").
INNER_AMOUNT = re.compile(rf"(?:(?<=[\s(:,|])|(?<=\s-)|^)(?:{ROUGHLY}\s*)?(?P<low>{_NUMBER})(?![\d/.,]\d)",
                          re.IGNORECASE)
NEXT_WORD = re.compile(r"\s*(?P<word>[^\W\d_]+)")


def _inner_amount(text: str, quantity: float) -> re.Match | None:
    """The first amount after the name that is the line's parsed `quantity`; not a number inside a name
    ("Chinese 5 Spice": a capitalised word after it that is no unit, with a word before it)."""
    for match in INNER_AMOUNT.finditer(text):
        try:
            value = float(parse_number(match["low"]))
        except (ZeroDivisionError, ValueError):
            continue
        if abs(value - quantity) > abs(quantity) / 100:
            continue
        after = NEXT_WORD.match(text, match.end())
        before = text[:match.start()].rstrip()
        if after and after["word"][0].isupper() and not canonical(after["word"]) and before[-1:].isalpha():
            return None
        return match
    return None


def scale_text(text: str, factor: float, *, grams_per_tsp: float | None = None,
               quantity: float | None = None, fine_counts: bool = False) -> str:
    """Multiply the amount a line starts with, or, given the line's parsed `quantity`, the amount after its name
    that is that quantity; other lines are left as written. A weight scaled to a few grams is said in spoons when
    `grams_per_tsp` (the food's) is given."""
    normalised = normalise_numbers(text)
    match = LEADING_AMOUNT.match(normalised)
    if match is None and quantity and factor != 1:
        inner = _inner_amount(normalised, float(quantity))
        if inner is not None:
            tail = normalised[inner.start():]
            scaled = scale_text(tail, factor, grams_per_tsp=grams_per_tsp)
            return text if scaled == tail else normalised[:inner.start()] + scaled
    if match is None or factor == 1:
        return text
    text = normalised
    prefix = text[:match.start("low")]  # "About "
    factor = Fraction(factor).limit_denominator(1000)
    try:
        original = Amount(parse_number(match["low"]), parse_number(match["high"]) if match["high"] else None,
                          match["dash"] or "")
    except ZeroDivisionError:  # "1/0 cup": not an amount
        return text
    if original.low == 0:
        return text
    amount = original.scaled(factor)
    position = match.end()
    size = SIZE_NOTE.match(text, position)
    after_size = size.end() if size else position
    word = WORD.match(text, after_size)
    unit = canonical(word["word"]) if word else ""
    if unit in MEASURED:
        rest = text[word.end("word"):]
        spoons = _in_spoons(amount, grams_per_tsp) if unit == "g" and not EQUIVALENT.match(rest) else None
        amount_text, unit_text = spoons or _scale_measured(amount, unit, word["word"])
        head = text[position:word.start("word")]
        if unit_text.lower() not in ABBREVIATIONS:  # "3 Tbsp. butter" → "¾ cup butter"
            rest = rest.removeprefix(".")
        return prefix + amount_text + head + unit_text + _scale_equivalent(rest, factor)
    return prefix + _scale_counted(text, amount, original, unit, after_size, factor, amount_at=position,
                                   fine=fine_counts)


def _scale_counted(text, amount, original, unit, start, factor, *, amount_at, fine=False) -> str:
    """A count of things ("2 large eggs") or of a counted unit ("1 can (400 g) tomatoes").

    A bracket right after the first word is the size of one item and stays; a weight in
    brackets further on is the total and is scaled.
    """
    low = round_count(amount.low, unit, fine=fine)
    high = None if amount.high is None else round_count(amount.high, unit, fine=fine)
    if high == low:
        high = None
    amount_text = _written(kitchen_number(low), None if high is None else kitchen_number(high), amount.dash)
    first = WORD.match(text, start)
    name_start = first.end() if first else start
    size = SIZE_NOTE.match(text, name_start)
    name_start = size.end() if size else name_start
    rest = text[start:name_start] + _scale_weight_note(text[name_start:], factor)
    was_plural = original.top > 1
    if first and first["word"].lower() in LENGTHS:  # "1 inch", "2 inches"; the piece after it stays one
        begin, end = first.span("word")
        length = text[begin:end]
        length = length if len(length) <= 2 else agree(length, was_plural=None, plural=(high or low) > 1)  # "cm"
        return amount_text + text[amount_at:begin] + length + text[end:name_start] + rest[name_start - start:]
    container = None if unit else _container(rest)
    noun = re.match(r"\s*([^\W\d_]+)", rest) if unit else container or _counted_noun(rest, was_plural=was_plural)
    head = text[amount_at:start]
    if noun is None:
        return amount_text + head + rest
    begin, end = noun.span(noun.lastindex or 0)
    word = agree(rest[begin:end], was_plural=None if unit or container else was_plural, plural=(high or low) > 1)
    return amount_text + head + rest[:begin] + word + rest[end:]


@dataclass(frozen=True)
class ScaledLine:
    text: str
    grams: float | None
    food_name: str
    problem: str

    @property
    def is_resolved(self) -> bool:
        return self.grams is not None and bool(self.food_name)


def kitchen_grams(grams: float) -> float:
    """Whole grams, and a tenth below one ("0.2 g" of nutmeg, not "0 g")."""
    return round(grams, 1) if grams < 1 else round(grams)


def scale_line(line, factor: float) -> ScaledLine:
    """`line` is a RecipeIngredient (or look-alike) with its food and the food's portions loaded."""
    portions = [(portion.amount, portion.measure, portion.gram_weight) for portion in line.food.portions.all()
                ] if line.food_id else []
    return ScaledLine(
        text=scale_text(line.original_text or str(line), factor, grams_per_tsp=grams_per_teaspoon(portions),
                        quantity=getattr(line, "quantity", None)),
        grams=None if line.grams is None else kitchen_grams(line.grams * factor),
        food_name=line.food.name if line.food_id else "",
        problem=line.problem,
    )


def scale_lines(lines, *, recipe_servings: int, servings: float) -> list[ScaledLine]:
    factor = servings / recipe_servings
    return [scale_line(line, factor) for line in lines]
