"""What an ingredient line without an amount stands for ("Salt", "Olive oil", "Eggs", "For the sauce:").

Pure: plain strings in, plain data out. Community recipes often list ingredients without a
quantity; counting such a line as unknown would leave most of those recipes without nutrition,
counting it as zero would hide real food. The rules, in this order:

- **Not an ingredient.** A section heading ("For the sauce:", "Dough:", "Optional:") or a piece of
  kitchen equipment ("Aluminum foil", "thermometer", "baking paper", "Oven-safe pan") is not a line of food, nor
  is what is used in cooking but not eaten (lye for a pretzel bath, wood chips to smoke over, glass marbles, onion
  skins that dye eggs), nor a line of advice ("If you don't have pre-grated cheese, …", "Most cheeses are fine,
  but …"): the importer leaves it out.
- **Seasoning.** Salt, pepper, a spice or an herb (USDA group "Spices and Herbs", or a fresh herb or
  aromatic USDA files under vegetables: parsley, garlic, ginger …) without an amount is seasoning to
  taste: 0 g, and so is a line that calls itself one ("adobo seasoning", "Herbes de Provence", "mixed
  spices") whether or not a food matches it, like "to taste" (a teaspoon of a spice, a clove of garlic are under 10 kcal). So is
  a food of at most NEGLIGIBLE_KCAL per 100 g (water, brewed coffee or tea).
- **Condiment.** Soy sauce, Worcestershire, hot sauce, vinegar, lemon juice … without an amount is
  a seasoning splash: CONDIMENT_AMOUNT (1 tablespoon).
- **Cooking fat.** Oil, butter, lard, ghee … without an amount is the fat for the pan:
  COOKING_FAT_AMOUNT (1 tablespoon), even when the matcher is unsure which fat ("Some oil and butter"), as long
  as it chose a pure fat: a tablespoon of any is 100-124 kcal.
- **A count noun.** A food USDA weighs by the item ("onion", "lime", "chicken breasts", "eggs")
  counts the least the line can mean: one of a singular noun, two of a plural.
- **A food served by the portion.** Anything else ("Spaghetti", "rice", "Ground beef", "Parmesan
  cheese") is a food each diner eats a typical serving of: the recipe's servings times the food's
  typical serving (meals/data/typical_servings.csv, by USDA food group and name words, mostly FDA's
  reference amounts customarily consumed, 21 CFR 101.12: 55 g dry pasta, 4 oz raw meat, 1 tbsp grated
  Parmesan). Only for a line whose food was matched with at least MIN_ESTIMATE_CONFIDENCE, since a
  serving of a wrong food is worse than a gap; without stated servings the importer solves for the
  servings that make its energy a typical serving (meals.importers.catalog.servings_with_assumed). The catalog
  import keeps a recipe for review when these estimates carry most of its energy.
- **A spoonful of something unknown.** A line no food matches measured at most SPOONFUL_ML (1 tbsp:
  "1 tsp dou-chi", "a pinch of season salt", "1 tbsp smoked paprika-garlic blend") is a seasoning
  too: 0 g. Whatever it is, a tablespoon is at most about 120 kcal (of pure fat) for the whole recipe,
  and seasonings of that size are a few kcal; a larger unknown line stays unresolved. So are leaves of a plant
  no food matches ("4 kaffir lime leaves", "pandan leaves"): a few grams of an aromatic, or a wrapper.
- Anything else without an amount (a food no serving row fits, or a doubtful match) stays
  unresolved, lowers the recipe's coverage and is left to staff.

Every assumed amount is written in the line's note, so staff see it.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from meals.parsing.ingredients import VOLUME_UNITS
from meals.parsing.units import in_unit
from meals.parsing.words import singular

SEASONING_GROUP = "Spices and Herbs"
FRESH_HERBS = frozenset({"parsley", "cilantro", "coriander", "chive", "chives", "dill", "basil", "mint", "rosemary",
                         "thyme", "oregano", "sage", "tarragon", "marjoram", "epazote", "lemongrass", "bay",
                         "garlic", "ginger", "zest", "peel"})
CONDIMENTS = frozenset({"soy", "worcestershire", "tabasco", "sriracha", "vinegar", "fish sauce", "hot sauce",
                        "chili sauce", "lemon juice", "lime juice", "teriyaki", "hoisin", "ketchup", "mustard"})
CONDIMENT_AMOUNT = (1.0, "tbsp")
COOKING_FATS = frozenset({"oil", "butter", "lard", "ghee", "margarine", "shortening", "dripping", "drippings",
                          "tallow", "grease", "fat"})
COOKING_FAT_AMOUNT = (1.0, "tbsp")
NEGLIGIBLE_KCAL = 2.0  # per 100 g: water, brewed coffee and tea (1-2 kcal); any amount a line means adds a few kcal
HEADING = re.compile(r"^(?:for (?:the )?[^\d:]{1,40}|[^\d:]{1,40}):?\s*$", re.IGNORECASE)
HEADING_START = re.compile(r"^for (?:the|a|an)\b", re.IGNORECASE)
EQUIPMENT = re.compile(
    r"\b(?:foil|baking paper|parchment|cheesecloth|thermometer|thermos|kitchen twine|plastic wrap|cling film|"
    r"toothpicks?|(?:wooden|bamboo|metal) skewers?|baking dish(?:es)?|baking sheet|muffin tin|ramekins?|"
    r"mason jar|glass jar|oven bag)\b",
    re.IGNORECASE)
# A line naming only skewers ("skewers", "12 skewers, soaked in water"): a line of "chicken skewers" is food.
SKEWERS_ONLY = re.compile(r"^\W*(?:[\d\s/-]+)?(?:(?:wooden|bamboo|metal)\s+)?skewers?\b(?!\s+of\b)", re.IGNORECASE)
# A line that is a cooking vessel ("Oven-safe pan", "A slow cooker", "A large pot of salted water", "A full kettle
# of boiled water"); "oil for the frying pan", "kettle chips" or "2 pots of yogurt" are food.
VESSEL_LINE = re.compile(
    r"^\W*(?:(?:an?|one|\d+|large|small|medium|big|heavy|heavy-bottomed|deep|full|good|cast[- ]iron)\s+)*"
    r"(?:(?:oven-?(?:safe|proof)\s+|frying\s+|roasting\s+|sheet\s+|sauce)?(?:pan|pot|dish|skillet)|wok|slow cooker|"
    r"crock-?pot|dutch oven|stock ?pot|kettle)"
    r"(?=\s*(?:$|[,(.;:])|\s+(?:of (?:\w+ )?water|with|for|or|to)\b)", re.IGNORECASE)
# A line of advice written among the ingredients ("If you don't have pre-grated cheese, …", "I've found that …",
# "Most cheeses are fine, but …", "The following options are traditional …").
NOTE_LINE = re.compile(r"^\W*(?:(?:if you|if using|i've|i have|i'd|you can|you may|the following|make sure|"
                       r"most \w+ (?:is|are))\b|(?:note|tip)s?\s*[:–-])", re.IGNORECASE)
# Things used in cooking that nobody eats: a lye bath for pretzels, wood to smoke over ("Applewood", "Wood chips";
# "applewood-smoked bacon" and wood ear mushrooms are food), glass marbles that keep milk from sticking, charcoal,
# the papery skins of onions, shallots or garlic that dye eggs or colour a stock ("peels of five onions", "onion
# skins"; not "onions, skins removed").
NOT_EATEN = re.compile(
    r"\b(?:lye|sodium hydroxide)\b(?![\s-]*(?:cured|treated))|\b(?:wood ?chips|wood chunks|smoking wood|cooking wood|"
    r"charcoal|glass marbles?)\b|^\W*[a-z]*wood\b(?![\s-]*(?:smoked|ear))"
    r"|\b(?:onion|shallot|garlic)s?[\s-]+(?:skins?|peels?|peelings?)\b(?![\s-]*(?:removed|off|discarded))"
    r"|\b(?:skins?|peels?|peelings?)\s+(?:of|from)\s+(?:[\w-]+\s+){0,3}?(?:onions?|shallots?|garlic)\b",
    re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+")
SEASONING_NAME = re.compile(r"\b(?:seasonings?|spices?|herbs|herbes|spice (?:mix|blend))\b", re.IGNORECASE)
TYPICAL_SERVINGS_FILE = Path(__file__).parent.parent / "data" / "typical_servings.csv"
MIN_ESTIMATE_CONFIDENCE = 0.8
PURE_FAT_KCAL = 700.0  # per 100 g: oils 884, lard 902, butter and margarine 717; dressings and spreads are less
SPOONFUL_ML = 15.0


@dataclass(frozen=True)
class Assumption:
    """The amount an amountless line is counted at, and the note that says so."""

    quantity: float | None  # None: counted as 0 g
    unit: str
    note: str


def is_heading(text: str) -> bool:
    """A section heading: ends with a colon ("Stuffing:", "For the sauce:") or starts "For the …" with no amount."""
    stripped = text.strip()
    if any(character.isdigit() for character in stripped):
        return False
    return (stripped.endswith(":") and bool(HEADING.match(stripped))) or bool(
        HEADING_START.match(stripped) and len(stripped.split()) <= 6)


def is_note(text: str) -> bool:
    return bool(NOTE_LINE.match(text))


def not_food(text: str) -> bool:
    """A line that names no food: a heading, equipment or a note."""
    return is_heading(text) or is_equipment(text) or is_note(text)


def is_equipment(text: str) -> bool:
    """Kitchen equipment, or something used in cooking that is not eaten (NOT_EATEN)."""
    return bool(EQUIPMENT.search(text) or SKEWERS_ONLY.match(text) or VESSEL_LINE.match(text) or NOT_EATEN.search(text))


def name_words(name: str) -> list[str]:
    return [word.lower() for word in WORD.findall(name)]


def is_spoonful(quantity: float | None, unit: str) -> bool:
    """A measured amount of at most SPOONFUL_ML (the top of a range counts)."""
    return quantity is not None and unit in VOLUME_UNITS and in_unit(quantity, unit, "ml") <= SPOONFUL_ML


SPOONFUL_NOTE = "a spoonful or less of a food not found: counted as 0 g, like a seasoning"
LEAVES_NOTE = "leaves of a plant not found: counted as 0 g, like a seasoning"


def is_leaves(name: str, unit: str) -> bool:
    """A line counting leaves ("4 kaffir lime leaves", "2 pandan leaves", "5 leaves of shiso"): an aromatic of a few
    grams (USDA's bay leaf is 0.2-0.6 g), or a wrapper nobody eats (banana leaves). Leaves by the cup are weighed."""
    words = name_words(name)
    return unit == "leaf" or not unit and bool(words) and singular(words[-1]) == "leaf"


def is_seasoning(food_name: str, food_category: str, energy_kcal: float | None = None) -> bool:
    """Salt, a spice, a dried or fresh herb or aromatic (by the food's USDA group and name), or a food
    of (almost) no energy (water; brewed coffee or tea, a litre of which is 10-20 kcal)."""
    return (food_category == SEASONING_GROUP or bool(set(name_words(food_name)) & FRESH_HERBS)
            or energy_kcal is not None and energy_kcal <= NEGLIGIBLE_KCAL)


def names_seasoning(text: str) -> bool:
    """The line calls itself a seasoning, spice mix or herbs."""
    return bool(SEASONING_NAME.search(text))


def is_condiment(name: str) -> bool:
    lowered = " ".join(name_words(name))
    return any(re.search(rf"\b{condiment}\b", lowered) for condiment in CONDIMENTS)


def is_cooking_fat(name: str) -> bool:
    """Oil, butter, lard … (the first alternative's head noun: "butter or lard", "olive oil"; "Pork butt with fat"
    is pork)."""
    words = name_words(re.split(r"\s(?:or|and/or|with)\s", name)[0])
    return bool(words) and singular(words[-1]) in COOKING_FATS


def sure_enough(name: str, energy_kcal: float | None, confidence: float) -> bool:
    """Whether a line without an amount may be counted by these rules: only for a confident match (a serving of a
    wrong food is worse than a gap), except a cooking fat matched to some pure fat, whose tablespoon is 100-124 kcal
    whichever fat it is ("Some oil and butter")."""
    return confidence >= MIN_ESTIMATE_CONFIDENCE or is_cooking_fat(name) and (energy_kcal or 0) >= PURE_FAT_KCAL


def assumed_amount(name: str, food_name: str, food_category: str, *, energy_kcal: float | None,
                   weighed_by_item: bool) -> Assumption | None:
    """The amount a line naming `name` (the parsed food name) without a quantity is counted at, or None.

    `food_name`, `food_category` and `energy_kcal` are the matched food's USDA description, group and
    energy per 100 g;
    `weighed_by_item` says whether the food has a whole-item portion ("1 medium onion")."""
    if is_cooking_fat(name):
        quantity, unit = COOKING_FAT_AMOUNT
        return Assumption(quantity, unit, f"no amount: {quantity:g} {unit} of cooking fat assumed")
    if is_seasoning(food_name, food_category, energy_kcal) or names_seasoning(name):
        return Assumption(None, "", "seasoning without an amount: counted as 0 g")
    if is_condiment(name):
        quantity, unit = CONDIMENT_AMOUNT
        return Assumption(quantity, unit, f"no amount: {quantity:g} {unit} of a condiment assumed")
    words = name_words(name)
    if weighed_by_item and words:
        count = 2.0 if singular(words[-1]) != words[-1] else 1.0
        return Assumption(count, "", f"no amount: {count:g} assumed (the least the line says)")
    return None


@dataclass(frozen=True)
class TypicalServing:
    """What one diner typically eats of a food, in grams, and where that figure comes from."""

    grams: float
    basis: str


@cache
def typical_servings() -> tuple[tuple[str, frozenset[str], TypicalServing], ...]:
    """(USDA food group, name words, serving) rows of meals/data/typical_servings.csv, most specific first."""
    with TYPICAL_SERVINGS_FILE.open(newline="", encoding="utf-8") as handle:
        return tuple((row["food_group"], frozenset(singular(word) for word in name_words(row["words"])),
                      TypicalServing(float(row["grams"]), row["basis"])) for row in csv.DictReader(handle))


def typical_serving(food_name: str, food_category: str) -> TypicalServing | None:
    """The first row of the table for the food's group whose words are all in the food's USDA name."""
    words = {singular(word) for word in name_words(food_name)}
    return next((serving for group, needed, serving in typical_servings()
                 if group == food_category and needed <= words), None)


def served_amount(serving: TypicalServing, servings: int) -> Assumption:
    """The amount a food served by the portion is counted at in a recipe for `servings`."""
    grams = round(serving.grams * servings, 1)
    return Assumption(grams, "g", f"no amount: {serving.grams:g} g a serving × {servings} assumed ({serving.basis})")
