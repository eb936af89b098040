"""A JSON-Lines recipe catalog read as plain data, and the rules that decide what its records leave open.

Pure: no ORM. `meals.services.import_catalog_record` stores a record through the same pipeline
as the admin's importer; the rules here decide what the data does not say:

- **Not a meal.** A drink, sauce, dressing, spread, dough, stock, syrup, jam, seasoning, filling or
  topping is kept unpublished (it is a recipe, not something to plan as a meal), as is a side dish nobody
  tagged as anything else. Decided by the site's tags, else by the title's head noun (the words
  before "with"/"in"/"on": "Chicken in Red Wine Vinegar Sauce" is chicken, "Bolognese Sauce" a sauce).
  A dough, batter or jam tag is what a baked dish is made of when the record's meal types or its
  title's head noun name a dish ("No-knead Bread", "Crostata" for dessert): then it is a meal. A soup or
  stew tag names a dish whatever other tags say ("Russian Okroshka", a cold soup tagged "spread"), though
  not against the head noun ("Chicken Stock"). A head noun may be several words ("Dulce de Leche" is a
  spread, "Dulce de Leche Cake" a cake).
- **Meal types.** The record's `meal_types` where present (a dessert is a snack); otherwise its
  tags and title words: breakfast words (eggs, pancakes, porridge …) make a breakfast, main-dish
  words (meat, fish, pasta, soup, salad, curry, chili …) lunch and dinner, sweet words and breads
  a snack (a title whose head noun is bread is a snack whatever its other words: "Potato sourdough bread";
  one whose head noun is yogurt a breakfast). Nothing matching: the recipe's own nutrition decides — at
  least MAIN_PROTEIN_SHARE of its energy from protein is a main dish (lunch and dinner), less a snack;
  staff decide only when too few lines were weighed to say (coverage under MIN_COVERAGE_FOR_ESTIMATE).
- **Servings.** Without a `servings` field or `yield_text`, those the steps or notes write ("(Serves
  4-6)", "Yield: 4 servings"), marked uncertain. The record's `servings` when its `yield_text` (if any)
  counts servings (a bare number, "4 people", "6 bowls"); for a range ("4-6", "6-8 people") its midpoint, as meals.parsing.servings
  reads any yield (the `servings` field holds the range's first number). A yield in anything else was
  copied into `servings` as a count of that, not of servings: "1 cake", "4 patties", "8-12 slices" then
  give the servings of meals.parsing.servings' rules (one item a serving, a whole cut into a documented number
  of servings), and "2 litres" or "10 breads" nothing. A bare count on a bread or cake ("Challah Bread",
  "2-4") that as servings makes a serving too large for its meal type, and as loaves or cakes a
  plausible one, counts those (meals.parsing.servings.as_wholes); on a batch of items ("Chocolate Chip
  Cookies", "4"; "Ukrainian Vareniki", "45", a serving too small) it counts neither, and servings are estimated
  from energy. Servings from such a rule, a range or an
  estimate are marked uncertain (Recipe.servings_uncertain) for staff. Otherwise they are estimated
  from the recipe's energy: total kcal ÷ a typical serving for its meal type (600 kcal for lunch
  or dinner, 450 breakfast, 250 snack), 1–MAX_ESTIMATED_SERVINGS, and only when at least MIN_COVERAGE_FOR_ESTIMATE of
  the lines were weighed; else staff decide. When lines without an amount are counted at a typical
  serving per diner (meals.parsing.amountless), the servings are the number s for which the weighed lines
  plus s typical servings of those foods make s typical servings of energy.
- **Per diner.** A line that gives its amount per person or per serving ("2 tomatoes per person",
  "Around 120g of ground beef per person") counts that amount times the stated servings; without
  stated servings it counts once. One that gives it per item of another line ("1/4 stick of butter per
  chicken breast", "Onions (4g per sausage)") counts it times the items that line counts, else once; so does the
  other part of eggs another line counts ("Egg whites separated from the yolks above" beside "4 egg yolks": 4 whites).
- **Grams left unwritten.** A bare count of at least MIN_UNWRITTEN_GRAMS of a food no item portion weighs, in a
  recipe whose other measured lines are all in grams, is grams ("200 yogurt" beside "300 g flour").
- **Time.** prep/cook/total minutes from the record (total − prep is cooking time); otherwise
  cooking time is the sum of the durations the steps state ("simmer for 20 minutes") and
  preparation PREP_MINUTES_PER_LINE per ingredient line (at least MIN_PREP_MINUTES). A stated cook time of
  LONG_COOK_MINUTES or more that the steps do not bear out (unbelievable_cook_time: "Cook time: 10 hours" for
  waffles) is estimated from the steps instead.
- **Publish** only a meal with meal types, servings and nutrition coverage ≥ MIN_PUBLISH_COVERAGE,
  whose assumed amounts (meals.parsing.amountless) carry at most MAX_ASSUMED_ENERGY_SHARE of its energy and
  whose energy a serving is plausible for its meal type (PLAUSIBLE_SERVING_SHARE of the typical
  serving: a "serving" of 3,600 kcal is a whole cake, of 30 kcal a misread line);
  everything else is left unpublished with `needs_review` and the reasons.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from meals.parsing.ingredients import MASS_UNITS, VOLUME_UNITS
from meals.parsing.servings import (MAX_SERVINGS, ServingsGuess, as_wholes, counts_servings, names_a_batch, one_yield,
                                    yield_words)
from meals.parsing.words import singular

MIN_PUBLISH_COVERAGE = 0.9
MIN_COVERAGE_FOR_ESTIMATE = 0.75
MAIN_PROTEIN_SHARE = 0.15  # a main dish gets 15 % or more of its energy from protein; cakes and breads 5-10 %
KCAL_PER_SERVING = {"breakfast": 450, "lunch": 600, "dinner": 600, "snack": 250}
MAX_ESTIMATED_SERVINGS = 24  # a sheet cake, two dozen cookies (meals.parsing.servings)
MAX_ASSUMED_ENERGY_SHARE = 0.5
PLAUSIBLE_SERVING_SHARE = (0.15, 3.0)  # of KCAL_PER_SERVING: lunch 90-1800 kcal, breakfast 68-1350, snack 38-750
MIN_UNWRITTEN_GRAMS = 20  # nobody counts 20 of a food USDA weighs by no item: the unit "g" was left out
PREP_MINUTES_PER_LINE = 2
MIN_PREP_MINUTES = 5
MAX_MINUTES = 32_767
LONG_COOK_MINUTES = 120
STEPS_SHARE_OF_LONG_COOK = 0.25
# Words of steps that take hours without a number ("about two hours", "overnight", "let it rise", "slow cooker",
# "on low heat. The longer the better").
TAKES_HOURS = re.compile(r"\b(?:hours?|hrs?|overnight|days?|slow[- ]?cook\w*|crock[- ]?pot|rise|rising|proof\w*|"
                         r"the longer|low heat|"
                         r"ferment\w*|marinat\w*|brin(?:e|ing)|cure|smok\w*|refrigerat\w*|fridge|chill\w*|freez\w*)\b",
                         re.IGNORECASE)

NOT_A_MEAL_TAGS = {
    "drink": "a drink", "alcohol": "a drink", "liquor": "a drink", "digestivo": "a drink",
    "sauce": "a sauce", "dressing": "a sauce", "spread": "a spread", "dough": "a dough", "batter": "a batter",
    "stock": "a stock", "syrup": "a syrup", "jam": "a jam", "spice": "a seasoning",
}
NOT_A_MEAL_NOUNS = {
    "sauce": "a sauce", "dressing": "a sauce", "gravy": "a sauce", "mayo": "a sauce", "mayonnaise": "a sauce",
    "aioli": "a sauce", "ketchup": "a sauce", "salsa": "a sauce", "pesto": "a sauce", "vinaigrette": "a sauce",
    "marinade": "a sauce", "glaze": "a sauce", "seasoning": "a seasoning", "rub": "a seasoning",
    "dough": "a dough", "pastry": "a dough", "starter": "a dough", "batter": "a batter", "stock": "a stock",
    "broth": "a stock", "syrup": "a syrup", "jam": "a jam", "tea": "a drink", "coffee": "a drink",
    "wine": "a drink", "cocktail": "a drink", "smoothie": "a drink", "milkshake": "a drink",
    "lemonade": "a drink", "kombucha": "a drink", "kvass": "a drink", "mimosa": "a drink", "mix": "a drink",
    "filling": "a filling", "stuffing": "a filling", "frosting": "a topping", "icing": "a topping",
    "croutons": "a topping", "pâté": "a spread", "pate": "a spread", "butter": "a spread", "dip": "a sauce",
    "hummus": "a spread", "tapenade": "a spread", "chutney": "a sauce", "relish": "a sauce",
    "dulce de leche": "a spread",  # a name of several words is the head's last words ("Dulce de leche cake" is a cake)
}
# Tags for what a baked dish is made of ("dough" on a bread, "jam" on a jam tart, "batter" on a pudding): they
# mean the recipe is that component only when neither its meal types nor its title's head noun name a dish.
COMPONENT_TAGS = {"dough", "batter", "jam"}
# Tags that name a dish a person eats as a meal: a soup tagged "spread" too ("Russian Okroshka", a cold soup) is a
# soup. The title's head noun still decides ("Chicken Stock" tagged soup is a stock).
DISH_TAGS = {"soup", "stew"}
# A title's head noun that decides the meal type whatever its other words say: "Potato sourdough bread" is no potato
# dish, "Greek Yogurt" (made from a litre of milk, 21 % of its energy from protein) no lunch.
HEAD_MEAL_TYPES = {"bread": ("snack",), "flatbread": ("snack",), "yogurt": ("breakfast",), "yoghurt": ("breakfast",)}
SIDE_TAG = "side"
BREAKFAST_WORDS = frozenset({"breakfast", "brunch", "pancake", "pancakes", "waffle", "waffles", "porridge",
                             "oatmeal", "granola", "omelette", "omelet", "crêpes", "crepes", "eggs", "frittata"})
MAIN_WORDS = frozenset({
    "beef", "chicken", "pork", "fish", "seafood", "lamb", "meat", "duck", "steak", "venison", "rabbit", "mutton",
    "liver", "shrimp", "salmon", "tuna", "trout", "sausage", "ham", "turkey", "meatballs", "pasta", "spaghetti",
    "noodles", "lasagna", "risotto", "soup", "stew", "curry", "salad", "pizza", "sandwich", "burger", "tacos",
    "rice", "tofu", "beans", "lentil", "lentils", "potato", "roast", "slowcooked", "goulash", "casserole",
    "chili", "couscous", "quesadilla", "burrito", "fondue", "tajine", "tagine", "sopa", "frittata", "omelette",
    "gratin", "stuffed", "bowl", "stir-fry", "kebab",
})
SWEET_WORDS = frozenset({"dessert", "sweet", "snack", "cookies", "cookie", "cake", "pudding", "muffins", "muffin",
                         "icecream", "biscuit", "biscuits", "meringue", "pie", "tart", "brownies", "bread",
                         "flatbread", "loaf", "pretzels", "buns", "fruit"})
EXPLICIT_MEAL_TYPES = {"breakfast": ("breakfast",), "lunch": ("lunch",), "dinner": ("dinner",),
                       "supper": ("dinner",), "snack": ("snack",), "dessert": ("snack",)}
TAG_MEAL_TYPES = {"lunch": ("lunch",), "dinner": ("dinner",), "supper": ("dinner",)}
HEAD_SPLIT = re.compile(r"\s(?:with|in|on|and|&|[-–])\s|[(,:/]", re.IGNORECASE)  # "No-knead Bread" keeps "knead"
WORD = re.compile(r"[^\W\d_]+")
DURATION = re.compile(
    r"(\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to|or)\s*(\d+(?:[.,]\d+)?))?\s*(hours?|hrs?|h|minutes?|mins?)\b",
    re.IGNORECASE,
)
PER_DINER = re.compile(r"\s*\b(?:per|for each|each)\s+(?:person|persons|people|serving|portion|diner)\b",
                       re.IGNORECASE)
# "per chicken breast", "(4g per sausage)": an amount for each item another line counts; a ratio ("1 egg per 500g
# chicken", "2 cups per 16 torrijas") or a choice ("per your choice", "per taste") names no item.
PER_ITEM = re.compile(r"\s*\bper\s+(?!(?:your|my|the|a|an|taste|preference|instructions|directions)\b)"
                      r"((?:[^\W\d_]+\s+){0,2}[^\W\d_]+)(?=\s*(?:$|[),;]))", re.IGNORECASE)
# The other part of eggs another line counts, without an amount ("Egg whites separated from the yolks above" beside
# "4 egg yolks"): one of that part per egg of the other line (see per_item). "whites of the eggs above" are in that
# line already and are not read so.
EGG_PART_FROM = re.compile(r"^\W*(?:the\s+)?(?:egg\s+)?(?P<part>whites?|yolks?)\s+(?:separated\s+)?(?:from|of)\s+(?:the\s+)?"
                           r"(?:egg\s+)?(?P<other>whites?|yolks?)(?:\s+(?:above|before))?\W*$", re.IGNORECASE)
# A count of servings written in the steps or notes ("... stir as you get up for more beers. Serve. (Serves 4-6)").
SERVES_IN_TEXT = re.compile(r"\b(?:serves|feeds)\s+(?:about\s+)?\d+(?:\s*(?:-|–|to)\s*\d+)?\b|"
                            r"\b(?:yields?|makes)\s*:?\s*(?:about\s+)?\d+(?:\s*(?:-|–|to)\s*\d+)?\s+"
                            r"(?:servings?|portions?|people|persons)\b", re.IGNORECASE)
REQUIRED = {"source": str, "source_id": str, "title": str, "ingredients": list}
OPTIONAL = {"servings": int, "yield_text": str, "prep_minutes": int, "cook_minutes": int, "total_minutes": int,
            "categories": list, "meal_types": list, "instructions": list, "image_url": str, "source_url": str,
            "attribution": str, "license": str, "notes": str}


class CatalogError(ValueError):
    """The catalog file cannot be imported; `errors` lists each bad line (number, reason)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        shown = "; ".join(f"line {number}: {reason}" for number, reason in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        super().__init__(shown + more)


@dataclass(frozen=True)
class CatalogRecord:
    """One recipe of the catalog, as the file states it (None where it says nothing)."""

    source: str
    source_id: str
    title: str
    ingredients: tuple[str, ...]
    instructions: tuple[str, ...] = ()
    servings: int | None = None
    yield_text: str | None = None
    prep_minutes: int | None = None
    cook_minutes: int | None = None
    total_minutes: int | None = None
    categories: tuple[str, ...] = ()
    meal_types: tuple[str, ...] = ()
    image_url: str = ""
    source_url: str = ""
    attribution: str = ""
    license: str = ""
    notes: str = ""
    digest: str = ""


@dataclass(frozen=True)
class Decisions:
    """What the importer sets on a recipe besides its lines, and why."""

    meal_types: tuple[str, ...]
    servings: int | None
    prep_minutes: int
    cook_minutes: int
    not_a_meal: str = ""  # "a drink", "a sauce" … when it is not planned as a meal
    servings_uncertain: bool = False  # servings by a rule or estimate, not stated
    review: tuple[str, ...] = ()  # why staff must look at it before it is published
    estimated: tuple[str, ...] = field(default_factory=tuple)  # what a rule decided, for the record

    @property
    def publish(self) -> bool:
        return not self.not_a_meal and not self.review


def _check(number: int, data) -> str | None:
    """Why a decoded line is not a usable record, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    for key, kind in REQUIRED.items():
        if not isinstance(data.get(key), kind) or not data[key]:
            return f"{key!r} is missing or not a non-empty {kind.__name__}"
    for key, kind in OPTIONAL.items():
        value = data.get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            return f"{key!r} should be a {kind.__name__}"
    for key in ("ingredients", "instructions", "categories", "meal_types"):
        if not all(isinstance(item, str) for item in data.get(key) or ()):
            return f"{key!r} should list strings"
    if any(len(data[key]) > limit for key, limit in (("source", 40), ("source_id", 100), ("title", 200))):
        return "source (40), source_id (100) or title (200 characters) too long"
    return None


def record_from(data: dict, raw: str) -> CatalogRecord:
    return CatalogRecord(
        source=data["source"], source_id=data["source_id"], title=data["title"].strip(),
        ingredients=tuple(line.strip() for line in data["ingredients"] if line.strip()),
        instructions=tuple(step.strip() for step in data.get("instructions") or () if step.strip()),
        servings=data.get("servings"), yield_text=data.get("yield_text"),
        prep_minutes=data.get("prep_minutes"), cook_minutes=data.get("cook_minutes"),
        total_minutes=data.get("total_minutes"),
        categories=tuple(tag.strip().lower() for tag in data.get("categories") or ()),
        meal_types=tuple(kind.strip().lower() for kind in data.get("meal_types") or ()),
        image_url=data.get("image_url") or "", source_url=data.get("source_url") or "",
        attribution=data.get("attribution") or "", license=data.get("license") or "", notes=data.get("notes") or "",
        digest=hashlib.sha256(raw.encode()).hexdigest(),
    )


def read_catalog(path: Path) -> list[CatalogRecord]:
    """Every record of a JSON-Lines catalog; CatalogError naming every bad line, so nothing is half-imported."""
    records, errors, seen = [], [], {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError([(0, f"cannot read {path}: {error}")]) from error
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError as error:
            errors.append((number, f"not JSON ({error})"))
            continue
        problem = _check(number, data)
        if problem is None and (data["source"], data["source_id"]) in seen:
            problem = f"same source and id as line {seen[data['source'], data['source_id']]}"
        if problem:
            errors.append((number, problem))
            continue
        seen[data["source"], data["source_id"]] = number
        records.append(record_from(data, raw.strip()))
    if errors:
        raise CatalogError(errors)
    return records


def words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


def head_words(title: str) -> list[str]:
    """The words of the title's head: those before "with", "in", "and" … ("Chicken in Red Wine Vinegar Sauce" is
    chicken); its last word is the head noun."""
    return WORD.findall(HEAD_SPLIT.split(title)[0].lower())


def named_by(head: list[str], names: dict[str, str]) -> str:
    """The value of the name (one word or several) the head ends with, or ""."""
    return next((kind for name, kind in names.items() if head and head[-len(name.split()):] == name.split()), "")


def not_a_meal(record: CatalogRecord) -> str:
    """"a drink", "a sauce" … when the recipe is not a meal on its own, else ""."""
    head = head_words(record.title)
    explicit = set(record.meal_types) & EXPLICIT_MEAL_TYPES.keys()
    a_dish = bool(explicit) or bool(head) and head[-1] in BREAKFAST_WORDS | MAIN_WORDS | SWEET_WORDS
    tagged_a_dish = bool(DISH_TAGS & set(record.categories))
    for tag in record.categories:
        if tag in NOT_A_MEAL_TAGS and not tagged_a_dish and not (tag in COMPONENT_TAGS and a_dish):
            return NOT_A_MEAL_TAGS[tag]
    kind = named_by(head, NOT_A_MEAL_NOUNS)
    if kind:
        return kind
    if not explicit and SIDE_TAG in (*record.categories, *record.meal_types):
        return "a side dish"
    return ""


def meal_types_for(record: CatalogRecord, protein_share: float | None = None) -> tuple[str, ...]:
    """Meal types the record states, else those its tags and title imply, else those its share of
    energy from protein implies (None: not known); () when nothing does."""
    stated = [kind for tag in record.meal_types for kind in EXPLICIT_MEAL_TYPES.get(tag, ())]
    if stated:
        return tuple(dict.fromkeys(stated))
    head = head_words(record.title)
    if head and head[-1] in HEAD_MEAL_TYPES:
        return HEAD_MEAL_TYPES[head[-1]]
    found = [kind for tag in record.categories for kind in TAG_MEAL_TYPES.get(tag, ())]
    vocabulary = set(record.categories) | words(record.title)
    if vocabulary & BREAKFAST_WORDS:
        found.append("breakfast")
    if not {"lunch", "dinner"} & set(found) and vocabulary & MAIN_WORDS:
        found += ["lunch", "dinner"]
    if not found and vocabulary & SWEET_WORDS:
        found.append("snack")
    if not found and protein_share is not None:
        found += ["lunch", "dinner"] if protein_share >= MAIN_PROTEIN_SHARE else ["snack"]
    return tuple(dict.fromkeys(found))


def servings_guess(record: CatalogRecord) -> ServingsGuess | None:
    """The servings the record states (its `servings` when its yield counts servings; a range's midpoint),
    else those its yield stands for by meals.parsing.servings' rules (uncertain), else None (see the module
    docstring)."""
    if record.servings is None and not record.yield_text:
        return servings_in_text(record)
    guess = one_yield(record.yield_text) if record.yield_text else None
    if record.servings is not None and 0 < record.servings and (
            not record.yield_text or counts_servings(record.yield_text)):
        return guess if guess and guess.uncertain else ServingsGuess(min(record.servings, MAX_SERVINGS))
    return guess


def servings_in_text(record: CatalogRecord) -> ServingsGuess | None:
    """The servings a record without a servings field or yield writes in its steps or notes ("(Serves 4-6)"),
    marked uncertain for staff (it is not where servings are stated); None when it writes none."""
    found = SERVES_IN_TEXT.search(steps_and_notes(record))
    guess = one_yield(found.group(0)) if found else None
    return ServingsGuess(guess.servings, True, f"the steps say {found.group(0)!r}") if guess else None


def recount(record: CatalogRecord, guess: ServingsGuess | None, total_kcal: float,
            meal_types: tuple[str, ...], weighed: bool = True) -> ServingsGuess | None:
    """A bare count ("2-4", or `servings` without a yield) that makes a serving too large for the meal type, on
    a bread or cake ("Challah Bread", "2-4"): the loaves or cakes, when that makes a plausible serving. A bare
    count that makes a serving too large or too small, on a batch of items ("Chocolate Chip Cookies", "4";
    "Ukrainian Vareniki", "45"): not a count of servings but of items, and servings are estimated from energy
    (too small only when most lines are `weighed`: unweighed lines make any serving small). Else None."""
    bare = guess is not None and (not record.yield_text or not yield_words(record.yield_text)[2])
    if not bare or not implausible_reason(total_kcal / guess.servings, meal_types):
        return None
    too_large = total_kcal / guess.servings > kcal_per_serving(meal_types) * PLAUSIBLE_SERVING_SHARE[1]
    if not too_large and not weighed:
        return None
    named = words(record.title) | set(record.categories)
    wholes = as_wholes(guess.servings, named) if too_large else None
    if wholes:
        return wholes if not implausible_reason(total_kcal / wholes.servings, meal_types) else None
    if not names_a_batch(named):
        return None
    servings = estimated_servings(total_kcal, meal_types)
    return ServingsGuess(servings, True, f"a count of {guess.servings} items makes a serving too "
                                         f"{'large' if too_large else 'small'}: estimated from energy, "
                                         f"{total_kcal:.0f} kcal in all ≈ {servings}")


def stated_servings(record: CatalogRecord) -> int | None:
    guess = servings_guess(record)
    return guess.servings if guess else None


def estimated_servings(total_kcal: float, meal_types: tuple[str, ...]) -> int:
    """Servings a recipe of `total_kcal` makes at a typical serving of its (first) meal type."""
    return max(1, min(MAX_ESTIMATED_SERVINGS, round(total_kcal / kcal_per_serving(meal_types))))


def kcal_per_serving(meal_types: tuple[str, ...]) -> float:
    return KCAL_PER_SERVING[meal_types[0]] if meal_types else KCAL_PER_SERVING["lunch"]


def servings_with_assumed(weighed_kcal: float, assumed_kcal_per_serving: float,
                          meal_types: tuple[str, ...]) -> int | None:
    """Servings s of a recipe whose weighed lines give `weighed_kcal` and whose lines without an amount add
    `assumed_kcal_per_serving` per diner: weighed + s·assumed = s·typical serving. None when the weighed
    lines give nothing or the assumed foods alone make up more than MAX_ASSUMED_ENERGY_SHARE of a serving."""
    per_serving = kcal_per_serving(meal_types)
    rest = per_serving - assumed_kcal_per_serving
    if weighed_kcal <= 0 or rest < per_serving * (1 - MAX_ASSUMED_ENERGY_SHARE):
        return None
    return max(1, min(MAX_ESTIMATED_SERVINGS, round(weighed_kcal / rest)))


def implausible_reason(kcal_a_serving: float, meal_types: tuple[str, ...]) -> str:
    """Why this energy a serving cannot be right for the meal type (outside PLAUSIBLE_SERVING_SHARE of a
    typical serving), or ""."""
    typical = kcal_per_serving(meal_types)
    low, high = (share * typical for share in PLAUSIBLE_SERVING_SHARE)
    if low <= kcal_a_serving <= high:
        return ""
    return f"energy a serving implausible: {kcal_a_serving:.0f} kcal (expected {low:.0f}-{high:.0f})"


def per_diner(line: str) -> tuple[str, bool]:
    """The line without its "per person" / "per serving", and whether it said so."""
    stripped = PER_DINER.sub("", line)
    return " ".join(stripped.split()), stripped != line


def per_item(line: str) -> tuple[str, str]:
    """The line without its "per chicken breast", and the item its amount is for ("" when none); the other part of
    eggs a line counts is one part per egg of that line ("Egg whites separated from the yolks above": "1 egg white",
    per egg yolk)."""
    part = EGG_PART_FROM.match(line)
    if part and singular(part["part"].lower()) != singular(part["other"].lower()):
        return f"1 egg {singular(part['part'].lower())}", f"egg {singular(part['other'].lower())}"
    found = PER_ITEM.search(line)
    if not found:
        return line, ""
    return " ".join(f"{line[:found.start()]}{line[found.end():]}".split()), found.group(1).lower()


def names_item(text: str, item: str) -> bool:
    """Whether a line names the item ("Boneless skinless chicken breast(s)" names "chicken breast"): its head noun."""
    return singular(item.split()[-1]) in {singular(word) for word in words(text)}


def read_as(line: str) -> tuple[str, bool, str]:
    """The line as it is read (without "per person" or "per chicken breast"), whether its amount is per diner,
    and the item it is for (per_diner, per_item)."""
    text, each_diner = per_diner(line)
    text, item = per_item(text)
    return text, each_diner, item


def unwritten_grams(quantity: float | None, unit: str, other_units: list[str]) -> bool:
    """Whether a bare count of a food no item portion weighs is grams whose unit was left out ("200 yogurt" beside
    "300 g flour" and "180 g sugar"): a count of at least MIN_UNWRITTEN_GRAMS, in a recipe whose other measured
    lines (at least two; spoons and pinches say nothing of the recipe's system) are all in grams."""
    measured = [other for other in other_units
                if other in MASS_UNITS or other in VOLUME_UNITS and other not in ("tsp", "tbsp", "pinch", "dash")]
    return (quantity or 0) >= MIN_UNWRITTEN_GRAMS and not unit and len(measured) >= 2 and set(measured) <= {"g", "kg"}


def step_minutes(steps: tuple[str, ...]) -> int:
    """The sum of the durations the steps state; a range counts its upper end."""
    total = 0.0
    for step in steps:
        for low, high, unit in DURATION.findall(step):
            value = float((high or low).replace(",", "."))
            total += value * (60 if unit.lower().startswith("h") else 1)
    return min(round(total), MAX_MINUTES)


def minutes_for(record: CatalogRecord) -> tuple[int, int, bool]:
    """(prep, cook, estimated): from the record where it says, else by the rule in the module docstring."""
    prep, cook, total = record.prep_minutes, record.cook_minutes, record.total_minutes
    if cook is None and total is not None:
        cook = max(total - (prep or 0), 0)
    stated = prep is not None or cook is not None
    if stated and not unbelievable_cook_time(record, cook):
        return min(prep or 0, MAX_MINUTES), min(cook or 0, MAX_MINUTES), False
    if prep is None:
        prep = max(MIN_PREP_MINUTES, PREP_MINUTES_PER_LINE * len(record.ingredients))
    return min(prep, MAX_MINUTES), step_minutes(record.instructions), True


def unbelievable_cook_time(record: CatalogRecord, cook: int | None) -> bool:
    """A stated cook time of hours (LONG_COOK_MINUTES or more) that the steps do not bear out: the durations they
    state come to under a quarter of it and they name nothing that takes hours (a rise, a marinade, a slow cooker,
    "two hours"). "Cook time: 10 hours" for waffles baked in a waffle iron is a slip for minutes; the steps' own
    durations are the better estimate."""
    if cook is None or cook < LONG_COOK_MINUTES:
        return False
    return (step_minutes(record.instructions) < cook * STEPS_SHARE_OF_LONG_COOK
            and not TAKES_HOURS.search(steps_and_notes(record)))


def steps_and_notes(record: CatalogRecord) -> str:
    """The record's steps and notes as one text, where servings and times are written outside their fields."""
    return " ".join((*record.instructions, record.notes))


def decide(record: CatalogRecord, *, total_kcal: float, coverage: float, unresolved: int,
           protein_g: float = 0.0, assumed_kcal: float = 0.0, servings_assumed: int | None = None) -> Decisions:
    """Everything the importer sets from the record and its resolved lines (energy, protein, coverage);
    `assumed_kcal` is the energy of lines counted at a typical serving, `servings_assumed` the servings
    those were counted for when the record states none (servings_with_assumed)."""
    weighed = coverage >= MIN_COVERAGE_FOR_ESTIMATE and total_kcal > 0
    meal_types = meal_types_for(record, protein_g * 4 / total_kcal if weighed else None)
    prep, cook, time_estimated = minutes_for(record)
    guess, review, estimated = servings_guess(record), [], []
    guess = recount(record, guess, total_kcal, meal_types, weighed) or guess
    servings, uncertain = (guess.servings, guess.uncertain) if guess else (None, True)
    if guess and guess.uncertain:
        estimated.append(f"servings from the yield: {guess.reason}")
    if time_estimated:
        estimated.append(f"time estimated: {prep} min prep ({PREP_MINUTES_PER_LINE} per ingredient line), "
                         f"{cook} min cooking (durations in the steps)")
    if servings is None and servings_assumed is not None:
        servings = servings_assumed
        estimated.append(f"servings estimated from energy, lines without an amount counted at a typical "
                         f"serving each: {total_kcal:.0f} kcal in all ≈ {servings}")
    if servings is None and weighed:
        servings = estimated_servings(total_kcal, meal_types)
        estimated.append(f"servings estimated from energy: {total_kcal:.0f} kcal in all ≈ {servings}")
    if servings is None:
        review.append("servings missing")
    if not meal_types:
        review.append("meal type unknown")
    if coverage < MIN_PUBLISH_COVERAGE:
        review.append(f"unresolved lines: {unresolved} (coverage {coverage:.0%})")
    implausible = implausible_reason(total_kcal / servings, meal_types) if servings and total_kcal > 0 else ""
    if implausible:
        review.append(implausible)
    if total_kcal > 0 and assumed_kcal / total_kcal > MAX_ASSUMED_ENERGY_SHARE:
        review.append(f"amounts assumed: {assumed_kcal / total_kcal:.0%} of the energy")
    return Decisions(meal_types=meal_types, servings=servings, prep_minutes=prep, cook_minutes=cook,
                     not_a_meal=not_a_meal(record), servings_uncertain=uncertain, review=tuple(review),
                     estimated=tuple(estimated))
