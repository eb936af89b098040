"""How many servings a recipe's yield ("4 servings", "2 loaves", "24 cookies", "250 g") stands for.

Only a number with a servings word (or a bare number) is a sure count of servings. Items a
person eats one of (cookies, muffins, rolls) count one serving each, flagged as uncertain;
wholes that are cut up (loaves, cakes, pies, pans) use a documented number of servings per
whole, also flagged; weights, volumes and yields without a number say nothing about
servings: the recipe then gets DEFAULT_SERVINGS, flagged, for staff to set in the admin.
"""

import re
from dataclasses import dataclass

from meals.words import singular

MAX_SERVINGS = 100
DEFAULT_SERVINGS = 4
SERVING_WORDS = {"serving", "serve", "serf", "portion", "person", "people", "plate", "bowl", "helping", "pax"}
# Things one person eats one of: a count of them is a (probable) count of servings.
ITEM_WORDS = {
    "cookie", "muffin", "cupcake", "bar", "brownie", "roll", "bun", "biscuit", "scone", "piece", "slice", "square",
    "omelet", "omelette", "pancake", "waffle", "crepe", "taco", "burrito", "enchilada", "sandwich", "burger", "patty", "skewer", "kabob",
    "dumpling", "empanada", "samosa", "egg roll", "spring roll", "wrap", "pita", "tortilla", "bagel", "donut",
    "doughnut", "pretzel", "popover", "tart", "tartlet", "truffle", "ball", "bite", "wedge", "fritter",
    "ramekin", "drink", "cocktail", "popsicle", "pop",
}
# Wholes that are cut into servings: servings per whole (the usual cut of a 9-inch cake, a 9x5 loaf…).
SERVINGS_PER_WHOLE = {"loaf": 10, "cake": 12, "pie": 8, "pizza": 8, "pan": 12, "quiche": 8, "tray": 12,
                      "sheet": 24, "ring": 12, "wreath": 12, "braid": 10, "round": 8, "torte": 12, "cheesecake": 12}
DOZEN = {"dozen": 12, "doz": 12}
NUMBER = r"(\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?)"
RANGE = re.compile(NUMBER + r"\s*(?:-|–|to|or)\s*" + NUMBER)
FIRST_NUMBER = re.compile(NUMBER)
WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class ServingsGuess:
    servings: int
    uncertain: bool = False
    reason: str = ""


def number(text: str) -> float:
    text = text.replace(",", ".").replace(" ", "")
    if "/" in text:
        top, bottom = text.split("/")
        return float(top) / float(bottom) if float(bottom) else 0.0
    return float(text)


def read_amount(text: str) -> tuple[float | None, bool, str]:
    """(number, was a range, rest of the text) for a yield text; a range gives its midpoint."""
    found = RANGE.search(text)
    if found:
        return (number(found.group(1)) + number(found.group(2))) / 2, True, text[found.end():]
    found = FIRST_NUMBER.search(text)
    if found is None:
        return None, False, text
    return number(found.group(1)), False, f"{text[:found.start()]} {text[found.end():]}"


def yield_words(text: str) -> tuple[float | None, bool, list[str]]:
    """(number, was a range, the other words singular) of a yield text."""
    amount, was_range, rest = read_amount(text.lower())
    return amount, was_range, [singular(word) for word in WORD.findall(rest)]


def counts_servings(text: str) -> bool:
    """Whether the yield is a number of servings: a bare number or range, or one with a servings word. "1 cake",
    "4 patties", "2 litres" or "10 breads" count something else (a catalog's servings field copied from such a
    yield is that count, not servings)."""
    amount, _, words = yield_words(text)
    return amount is not None and names_servings(words)


def names_servings(words: list[str]) -> bool:
    return not words or bool(set(words) & SERVING_WORDS)


def one_yield(text: str) -> ServingsGuess | None:
    """The servings one yield text stands for, or None when it says nothing about servings."""
    amount, was_range, words = yield_words(text)
    if amount is None or amount <= 0:
        return None
    count = min(max(round(amount), 1), MAX_SERVINGS)
    dozen = next((DOZEN[word] for word in words if word in DOZEN), None)
    if dozen:
        return ServingsGuess(min(round(amount * dozen), MAX_SERVINGS), True,
                             f"the yield {text!r} counts items, not servings: one item taken as a serving")
    if names_servings(words):
        reason = f"the yield {text!r} is a range: its midpoint taken" if was_range else ""
        return ServingsGuess(count, was_range, reason)
    whole = next((word for word in words if word in SERVINGS_PER_WHOLE), None)
    if whole:
        servings = min(round(amount * SERVINGS_PER_WHOLE[whole]), MAX_SERVINGS)
        return ServingsGuess(servings, True, f"the yield {text!r} is not in servings: "
                                             f"{SERVINGS_PER_WHOLE[whole]} servings a {whole} assumed")
    if set(words) & ITEM_WORDS:
        return ServingsGuess(count, True, f"the yield {text!r} counts items, not servings: one item taken as a serving")
    return None


def servings_from_yield(yields: list[str]) -> ServingsGuess:
    """Best servings figure among the page's yield texts (a sure one beats a guess)."""
    guesses = [guess for text in yields if (guess := one_yield(text))]
    sure = next((guess for guess in guesses if not guess.uncertain), None)
    if sure or guesses:
        return sure or guesses[0]
    said = f"the yield {'; '.join(yields)[:60]!r} does not say" if yields else "the page does not say"
    return ServingsGuess(DEFAULT_SERVINGS, True, f"{said} how many servings: {DEFAULT_SERVINGS} assumed, check it")
