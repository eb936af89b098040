"""How many servings a recipe's yield ("4 servings", "2 loaves", "24 cookies", "250 g") stands for.

Only a number with a servings word ("serves 4", "feeds 6") or a bare number ("4", "makes 12") is a
sure count of servings; a range ("serves 4-6") gives its midpoint, flagged as uncertain. Items a
person eats one of (cookies, muffins, rolls) count one serving each, flagged as uncertain;
wholes that are cut up (loaves, cakes, pies, pans) use a documented number of servings per
whole, also flagged; weights, volumes and yields without a number say nothing about
servings: the recipe then gets DEFAULT_SERVINGS, flagged, for staff to set in the admin.
Numbers may be words ("makes one loaf", "serves four", "half a dozen"); a size is not a count
("1 9-inch pie", "one 23 cm cake", "1 (9x13) pan", "2 x 450 g loaves").
"""

import re
from dataclasses import dataclass

from meals.parsing.words import NUMBER_WORDS as COUNT_WORDS, singular

MAX_SERVINGS = 100
DEFAULT_SERVINGS = 4
SERVING_WORDS = {"serving", "serve", "serf", "portion", "person", "people", "plate", "bowl", "helping", "pax", "feed",
                 "diner", "guest"}
# Words around a count that do not change what it counts ("makes about 12" is "12").
FILLER_WORDS = {"make", "yield", "about", "approximately", "approx", "around", "roughly", "total", "x"}
# Dumplings by their names (each counts as one, like "dumpling").
DUMPLING_NAMES = {"vareniki", "varenyky", "pierogi", "pierog", "pelmeni", "gyoza", "wonton", "potsticker", "momo"}
# Things one person eats one of: a count of them is a (probable) count of servings.
ITEM_WORDS = {*DUMPLING_NAMES, 
    "cookie", "muffin", "cupcake", "bar", "brownie", "roll", "bun", "biscuit", "scone", "piece", "slice", "square",
    "omelet", "omelette", "pancake", "waffle", "crepe", "taco", "burrito", "enchilada", "sandwich", "burger", "patty", "skewer", "kabob",
    "dumpling", "empanada", "samosa", "egg roll", "spring roll", "wrap", "pita", "tortilla", "bagel", "donut",
    "doughnut", "pretzel", "popover", "tart", "tartlet", "truffle", "ball", "bite", "wedge", "fritter",
    "ramekin", "drink", "cocktail", "popsicle", "pop",
}
# Items made by the batch: a batch's count of servings is a choice of how many a person eats.
BATCH_WORDS = {*DUMPLING_NAMES, "cookie", "muffin", "cupcake", "brownie", "bar", "roll", "bun", "biscuit", "scone", "dumpling",
               "fritter", "ball", "bite", "truffle", "pretzel", "donut", "doughnut", "meringue", "macaroon"}
# Wholes that are cut into servings: servings per whole (the usual cut of a 9-inch cake, a 9x5 loaf…; USDA SR28's
# portions cut a 9-inch pie in 8 pieces, a cake in 12).
SERVINGS_PER_WHOLE = {"loaf": 10, "cake": 12, "pie": 8, "pizza": 8, "pan": 12, "quiche": 8, "tray": 12,
                      "sheet": 24, "ring": 12, "wreath": 12, "braid": 10, "round": 8, "torte": 12, "cheesecake": 12}
WHOLE_NAMES = {"bread": "loaf", "breads": "loaf", "cakes": "cake", "pies": "pie"}  # a recipe's word for its whole
DOZEN = {"dozen": 12, "doz": 12}
NUMBER = r"(\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?)"
RANGE = re.compile(NUMBER + r"\s*(?:-|–|to|or)\s*" + NUMBER)
FIRST_NUMBER = re.compile(NUMBER)
WORD = re.compile(r"[a-z]+")
NUMBER_WORDS = {"half a": "0.5", "half an": "0.5", "a": "1", "an": "1", **COUNT_WORDS,
                "sixteen": "16", "twenty": "20", "twenty-four": "24"}  # yields count batches too
# "a"/"an" only before a word ("a dozen", "a 9-inch pie"); the others anywhere ("serves four").
SPELLED_NUMBER = re.compile(r"\b(half an?|an?(?=\s+[a-z0-9])|" + "|".join(
    sorted((word for word in NUMBER_WORDS if not word.startswith(("a", "half"))), key=len, reverse=True)) + r")\b")
# The size of what is made, not a count of it: 9-inch, 9" pie, 23 cm, 9x13, 450 g.
SIZE = re.compile(r"\d+(?:[.,]\d+)?(?:\s*[x×]\s*\d+(?:[.,]\d+)?)*(?:\s*-?\s*inch(?:es)?\b|-in\b|\s*in\.|\s*[\"”″]|"
                  r"\s*-?\s*cm\b|\s*-?\s*mm\b)|\d+\s*[x×]\s*\d+(?![\d.,]|\s*(?:g|grams?|kg|oz|ounces?|lbs?|pounds?)\b)|"
                  r"\d+(?:[.,]\d+)?\s*(?:g|grams?|kg|oz|ounces?|lbs?|pounds?)\b")


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
    first = FIRST_NUMBER.search(text)
    if found and first.start() == found.start():  # "4 4-15": the count is 4
        return (number(found.group(1)) + number(found.group(2))) / 2, True, text[found.end():]
    if first is None:
        return None, False, text
    return number(first.group(1)), False, f"{text[:first.start()]} {text[first.end():]}"


def yield_words(text: str) -> tuple[float | None, bool, list[str]]:
    """(number, was a range, the other words singular, fillers left out) of a yield text; numbers in words are
    read and sizes left out (see the module docstring)."""
    text = SIZE.sub(" ", SPELLED_NUMBER.sub(lambda found: NUMBER_WORDS[found.group(1)], text.lower()))
    amount, was_range, rest = read_amount(text)
    return amount, was_range, [word for word in map(singular, WORD.findall(rest)) if word not in FILLER_WORDS]


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
    if amount is None and any(word in SERVINGS_PER_WHOLE for word in words):
        amount = 1.0  # "9-inch pie", "Loaf": one of it
    if amount is None or amount <= 0:
        return None
    count = min(max(int(amount + 0.5), 1), MAX_SERVINGS)  # half up: "2-3" is 3, not Python's even 2
    dozen = next((DOZEN[word] for word in words if word in DOZEN), None)
    if dozen:
        return ServingsGuess(min(round(amount * dozen), MAX_SERVINGS), True,
                             f"the yield {text!r} counts items, not servings: one item taken as a serving")
    if names_servings(words):
        reason = f"the yield {text!r} is a range: its midpoint taken" if was_range else ""
        return ServingsGuess(count, was_range, reason)
    whole = next((word for word in words if word in SERVINGS_PER_WHOLE), None)
    if whole:
        servings = min(max(round(amount * SERVINGS_PER_WHOLE[whole]), 1), MAX_SERVINGS)
        return ServingsGuess(servings, True, f"the yield {text!r} is not in servings: "
                                             f"{SERVINGS_PER_WHOLE[whole]} servings a {whole} assumed")
    if set(words) & ITEM_WORDS:
        return ServingsGuess(count, True, f"the yield {text!r} counts items, not servings: one item taken as a serving")
    return None


def names_a_batch(recipe_words: set[str]) -> bool:
    """The recipe's words name a batch of small items (cookies, muffins, dumplings), not one dish."""
    return bool({singular(word) for word in recipe_words} & BATCH_WORDS)


def as_wholes(count: float, recipe_words: set[str]) -> ServingsGuess | None:
    """`count` read as wholes of what the recipe's words name (a bread is a loaf), cut as SERVINGS_PER_WHOLE."""
    whole = next((WHOLE_NAMES.get(word, word) for word in sorted(recipe_words)
                  if WHOLE_NAMES.get(word, word) in SERVINGS_PER_WHOLE), None)
    if whole is None:
        return None
    servings = min(max(round(count * SERVINGS_PER_WHOLE[whole]), 1), MAX_SERVINGS)
    return ServingsGuess(servings, True, f"a count of {count:g} on a {whole} recipe is too large a serving: "
                                         f"{count:g} {whole}(s) of {SERVINGS_PER_WHOLE[whole]} servings each assumed")


def servings_from_yield(yields: list[str]) -> ServingsGuess:
    """Best servings figure among the page's yield texts (a sure one beats a guess)."""
    guesses = [guess for text in yields if (guess := one_yield(text))]
    sure = next((guess for guess in guesses if not guess.uncertain), None)
    if sure or guesses:
        return sure or guesses[0]
    said = f"the yield {'; '.join(yields)[:60]!r} does not say" if yields else "the page does not say"
    return ServingsGuess(DEFAULT_SERVINGS, True, f"{said} how many servings: {DEFAULT_SERVINGS} assumed, check it")
