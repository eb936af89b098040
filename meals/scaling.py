"""Pure scaling of a recipe's ingredient lines to the servings someone cooks.

The line is shown as the recipe writes it, with its leading amount
multiplied ("1 1/2 cups flour" ×2 → "3 cups flour"), next to its weight.
"""

import re
from dataclasses import dataclass
from fractions import Fraction

FRACTIONS = {0.25: "¼", 0.33: "⅓", 0.5: "½", 0.67: "⅔", 0.75: "¾"}
UNICODE_FRACTIONS = {"¼": Fraction(1, 4), "½": Fraction(1, 2), "¾": Fraction(3, 4), "⅓": Fraction(1, 3), "⅔": Fraction(2, 3)}

_NUMBER = r"\d+\s+\d+/\d+|\d+/\d+|\d+\s*[¼½¾⅓⅔]|\d+(?:\.\d+)?|[¼½¾⅓⅔]"
LEADING_AMOUNT = re.compile(rf"^\s*(?P<low>{_NUMBER})(?:\s*(?P<dash>-|–|to)\s*(?P<high>{_NUMBER}))?")


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


def scale_text(text: str, factor: float) -> str:
    """Multiply the amount a line starts with; lines without one are left as written."""
    match = LEADING_AMOUNT.match(text)
    if match is None or factor == 1:
        return text
    amount = friendly_number(float(parse_number(match["low"])) * factor)
    if match["high"]:
        separator = " to " if match["dash"] == "to" else "–"
        amount += separator + friendly_number(float(parse_number(match["high"])) * factor)
    return amount + text[match.end():]


@dataclass(frozen=True)
class ScaledLine:
    text: str
    grams: float | None
    food_name: str
    problem: str

    @property
    def is_resolved(self) -> bool:
        return self.grams is not None and bool(self.food_name)


def scale_line(line, factor: float) -> ScaledLine:
    """`line` is a RecipeIngredient (or look-alike) with its food loaded."""
    return ScaledLine(
        text=scale_text(line.original_text or str(line), factor),
        grams=None if line.grams is None else round(line.grams * factor),
        food_name=line.food.name if line.food_id else "",
        problem=line.problem,
    )


def scale_lines(lines, *, recipe_servings: int, servings: float) -> list[ScaledLine]:
    factor = servings / recipe_servings
    return [scale_line(line, factor) for line in lines]
