"""Turn a quantity in a canonical unit into grams of one food, with pint.

Mass converts directly. Volume needs the food's weight per volume: from one
of its USDA portions ("1 cup, chopped = 160 g") or, failing that, its
density. Counts and sizes ("2 large", "3 cloves", "1 slice") go through the
portion with that measure. Whatever cannot be converted comes back with the
reason, so it is flagged instead of counted as zero. No ORM in here.
"""

import re
import statistics
from dataclasses import dataclass
from functools import cache, lru_cache

import pint

from meals.nutrition.food_scoring import DRIED, PLAIN_QUALIFIERS, PROCESSED
from meals.parsing.ingredients import MASS_UNITS, VOLUME_UNITS
from meals.parsing.words import singular

PINT_NAMES = {
    "g": "gram", "kg": "kilogram", "mg": "milligram", "oz": "ounce", "lb": "pound",
    "ml": "milliliter", "cl": "centiliter", "dl": "deciliter", "l": "liter", "cup": "cup", "tbsp": "tablespoon", "tsp": "teaspoon",
    "fl oz": "fluid_ounce", "pint": "pint", "quart": "quart", "gallon": "gallon", "pinch": "pinch", "dash": "dash",
}
# USDA measure words (first word of FoodPortion.measure) that name a volume.
MEASURE_VOLUMES = {
    "cup": "cup", "cups": "cup", "tbsp": "tbsp", "tablespoon": "tbsp", "tsp": "tsp", "teaspoon": "tsp",
    "fl oz": "fl oz", "pint": "pint", "quart": "quart", "gallon": "gallon", "ml": "ml", "liter": "l", "l": "l",
    "dash": "dash", "pinch": "pinch",
}
MEASURE_WORD = re.compile(r"^\s*(fl oz|[a-z]+)")


@dataclass(frozen=True)
class Portion:
    id: int | None
    amount: float
    measure: str
    gram_weight: float

    @property
    def word(self) -> str:
        match = MEASURE_WORD.match(self.measure.lower())
        return match.group(1) if match else ""

    @property
    def grams_per_unit(self) -> float:
        return self.gram_weight / self.amount


@dataclass(frozen=True)
class Conversion:
    grams: float | None
    portion: Portion | None = None
    problem: str = ""


@cache
def registry() -> pint.UnitRegistry:
    units = pint.UnitRegistry()
    units.define("pinch = teaspoon / 16")
    units.define("dash = teaspoon / 8")
    return units


@cache
def unit_factor(unit: str, target: str) -> float:
    """How many `target` one `unit` is, asked of pint once per pair: pint parses its unit names on every call,
    which was most of a line's conversion time."""
    units = registry()
    return (1 * units(PINT_NAMES[unit])).to(units(PINT_NAMES[target])).magnitude


def in_unit(quantity: float, unit: str, target: str) -> float:
    return quantity * unit_factor(unit, target)


# Measure modifiers that change how much fits in a cup: used only when the line says so.
TRANSFORMING = {"whipped", "packed", "chopped", "diced", "sliced", "grated", "shredded", "crumbled", "mashed", "cubed",
                "pureed", "melted", "sifted", "crushed", "minced", "halves", "pieces", "flaked", "ground", "cooked",
                "slivered", "thawed", "drained", "spooned", "stirred", "scooped"}
SIZES = ("extra small", "extra large", "jumbo", "large", "medium", "small")
# How much an item of each size weighs against a medium one, where a line asks for a size the food's own portions
# do not weigh ("4 small dill pickles" of a food with only a "large (4\" long)" portion): the median ratio over the
# SR28 foods that list both sizes as whole items (portions.csv: small 94 foods, large 97, extra large 8; extra
# small and jumbo 2 each). Computed from USDA's portions, not fitted to recipes.
SIZE_RATIOS = {"extra small": 0.62, "small": 0.74, "medium": 1.0, "large": 1.36, "extra large": 1.49, "jumbo": 1.94}
# A part of the food or a pack, not one whole item: "1 lemon" is not a wedge of it.
PART_WORDS = {"slice", "wedge", "strip", "ring", "nlea", "serving", "package", "pack", "container", "cup", "oz", "lb", "tbsp",
              "tsp", "fl", "g", "stalk", "leaf", "sprig", "pat", "spear", "floret", "segment", "section", "chop",
              "cubic", "inch", "bar", "stick", "pie", "loaf", "head", "bunch", "can", "jar", "bottle", "box", "bag"}
NOT_MODIFIERS = {"whole", "approx", "dia", "long", "each", "about", "of", "to", "or", "and", "with", "without", "one",
                 "yields", "raw", "fresh", "item", "piece", "fruit", "x", "thick", "wide", "per", "refuse", "excluding",
                 "edible", "portion", "weight", "medium", "large", "small", "extra", "jumbo"}
# A size word that describes the cut or the pan, not the item: "cut into large chunks", "in a small bowl".
NOT_ITEM_SIZE = re.compile(r"\s+(?:bite|chunks?|pieces?|dice|cubes?|wedges?|slices?|strips?|rounds?|rings?|bowl|pot|"
                           r"pan|saucepan|skillet|dish|sheet|bag)\b")
DIAMETER = re.compile(r"(\d+(?:[-\s]\d/\d|\.\d+)?)(?:\s*-\s*\d+(?:\.\d+)?)?\s*(?:\"|''|inch|in\b)")
LINE_INCHES = re.compile(r"(\d+(?:\.\d+)?)[\s-]*(?:inch|in\b|\")")
WORDS = re.compile(r"[a-z]+")
# Measure words in a line that do not name a part of the food ("1 cup ..." is no cue for a "cup" portion).
UNIT_WORDS = {"cup", "tablespoon", "teaspoon", "tbsp", "tsp", "oz", "ounce", "lb", "pound", "g", "gram", "package",
              "can", "jar", "container", "fl"}
# Words for a slice USDA does not use ("2 bacon rashers", "4 bacon strips" are its "slice" portions).
SLICE_WORDS = {"rasher", "strip"}
# Typical weights of count units USDA gives no portion for (herbs, bouillon, drops), in grams each:
# a sprig of thyme or rosemary, a supermarket bunch of herbs or green onions, a bay or curry leaf,
# a bouillon cube (USDA 06080: 4 g), a drop (0.05 ml), a cardamom or star-anise pod, a twig of herbs,
# a can without a stated size (the common 400 g / 14-15 oz can), a stalk of lemongrass or bok choy.
TYPICAL_ITEM_GRAMS = {"sprig": 1.0, "twig": 1.0, "bunch": 60.0, "leaf": 0.5, "cube": 4.0, "drop": 0.05, "pod": 0.5,
                      "can": 400.0, "stalk": 20.0}
# A bunch of cooking greens (collards, kale, chard, mustard, turnip or beet greens, rapini) is no bunch of herbs: it
# weighs USDA's bunch of raw spinach (11457 "1 bunch" = 340 g), its only bunch of a raw leafy vegetable.
GREENS_BUNCH_GRAMS = 340.0
GREENS_WORDS = {"collard", "kale", "chard", "greens", "raab", "spinach"}
# A baguette, which USDA weighs only by the slice or ounce: the French standard loaf of 250 g and 65 cm (26 inches);
# one of a stated length ("2 (7 inch) French bread baguettes") weighs that share of it.
BAGUETTE_GRAMS, BAGUETTE_INCHES = 250.0, 26.0
# Whole foods USDA weighs only ground, chopped or by volume, in grams per item: whole spices (a clove,
# an allspice or juniper berry, a star anise, a cinnamon stick, a nutmeg, a saffron thread), a shallot,
# a thumb-sized piece of ginger, a stalk of lemon grass. Looked up by the food's name words when the line counts items.
TYPICAL_WHOLE_GRAMS = {"clove": 0.1, "allspice": 0.1, "juniper": 0.1, "anise": 1.0, "cardamom": 0.2,
                       "cinnamon": 3.0, "nutmeg": 6.0, "saffron": 0.002, "shallot": 30.0, "ginger": 15.0,
                       "grass": TYPICAL_ITEM_GRAMS["stalk"]}
# Whole spices no USDA name calls so (its peppercorns are "Spices, pepper, black": a teaspoon of them 2.9 g; a vanilla
# bean is about 4 g), looked up by the line's words ("1 aji pepper" of that food is no peppercorn).
LINE_WHOLE_GRAMS = {"peppercorn": 0.05,
                    "vanilla": 4.0}  # a vanilla bean (pod), matched to the extract SR28 has
COUNT_WORDS = ("", "piece", "stick", *SIZES)
# A head (bulb) of garlic, which USDA weighs only by the clove: about thirteen 3 g cloves.
HEAD_GRAMS = {"garlic": 40.0}
# USDA's edible yield of a pound of a bird as bought ("1 unit (yield from 1 lb ready-to-cook chicken)" = 276 g
# of meat and skin): a weight written for the whole or bone-in bird is weighed with its bones.
YIELD_PER_POUND = re.compile(r"yield from 1 lb ready[- ]to[- ]cook", re.IGNORECASE)
AS_PURCHASED = re.compile(r"\b(?:whole|bone[- ]in|broiler|fryer|roaster)\b")
# USDA's edible yield of a weight of shellfish as bought ("1 lb (with shell), yield after shell removed" = 68 g of
# clams): a weight written for the food in its shell is weighed with the shell.
YIELD_AFTER_SHELL = re.compile(r"^(?P<unit>lb|oz)\b.*\byield after shells? removed", re.IGNORECASE)
IN_SHELL = re.compile(r"\b(?:in (?:the |their )?shells?|shell-on|with (?:the |their )?shells?|unshelled|unshucked)\b")
# A can weighed by its label ("2 (15 ounce) cans chickpeas") holds its liquid too: when the food is USDA's
# drained solids, the can gives about 60 % of its weight of them (USDA SR28 portions of the same size of can:
# kidney beans "1 can drained solids" 266 g, chickpeas "1 can drained" 253 g, pinto beans with their liquid
# "1 can" 442 g). A food of solids and liquids keeps the label weight: its energy is averaged over both.
DRAINED_SHARE = 0.59
CAN = re.compile(r"\bcans?\b")
COOKED_NOT_CANNED = re.compile(r"^(?!.*\bcanned\b).*\b(?:cooked|boiled)\b")
SKINLESS = re.compile(r"\b(?:skinless|skin removed|without skin)\b")
GRAMS_PER_POUND = 453.592
# Cuts and parts of an animal a line may count ("4 chicken thighs", "2 duck breast halves", "8 chicken tenders").
ANIMAL_PARTS = {"breast", "thigh", "leg", "wing", "drumstick", "fillet", "chop", "shank", "cutlet", "steak", "tender"}
# States of a food that change what one item of it weighs (drying, grinding, juicing), and those that barely do.
REWEIGHING_STATES = DRIED | {"powder", "concentrate", "juice", "flake", "rehydrated"}
SAME_WEIGHT_STATES = (PLAIN_QUALIFIERS | PROCESSED) - REWEIGHING_STATES
# What a count is cut into is not what it counts: "3 tomatoes, sliced into strips" are three tomatoes, not strips.
CUT_CLAUSE = re.compile(r"\binto\b[^,;()]*")
# "5 skinless chicken pieces" counts pieces ("1 chicken, cut into pieces" counts a chicken).
COUNTED_PIECES = re.compile(r"^(?:(?!\b(?:cut|into|in)\b)[^,(])*\bpieces?\b")
# A bird cut up for cooking is eight pieces (two each of breasts, thighs, drumsticks and wings): a counted piece
# weighs an eighth of USDA's whole bird ("0.5 chicken, bone and skin removed" = 329 g, so 82 g a piece).
PIECES_PER_BIRD = 8
BIRDS = {"chicken", "turkey", "duck", "goose", "hen"}
# Words USDA counts by the pair or the side where a recipe counts one of the two: USDA's "0.5 breast" and
# "0.5 fillet" weigh what a recipe calls a (boneless) chicken breast or a fish fillet.
HALF_COUNTED = {"breast", "fillet"}
WHOLE_FISH = re.compile(r"^(?!.*\bfillets?\b).*\bwhole\b")


def measure_words(measure: str) -> set[str]:
    """Singular words of a measure, without its bracketed note ("cup, fluid (yields 2 cups whipped)")."""
    return {singular(word) for word in WORDS.findall(re.sub(r"\(.*?\)", " ", measure.lower()))}


def volume_portion(portions: list[Portion], unit: str, line_text: str) -> Portion | None:
    """The volume portion to weigh with: the line's unit first, then one without a modifier the line does
    not use ("cup, whipped" is not how "1 cup heavy cream" is measured), then one whose modifier it uses."""
    volumes = [p for p in portions if p.word in MEASURE_VOLUMES and p.gram_weight > 0]
    line_words = {singular(word) for word in WORDS.findall(line_text.lower())}

    def preference(portion: Portion) -> tuple:
        modifier = measure_words(portion.measure) - {portion.word, singular(portion.word)}
        unstated = (modifier & TRANSFORMING) - line_words
        return (MEASURE_VOLUMES[portion.word] != unit, bool(unstated), not (modifier & line_words), len(modifier))

    return min(volumes, key=preference) if volumes else None


def portion_size(measure: str) -> str:
    lowered = measure.lower()
    return next((size for size in SIZES if size in lowered), "")


def line_size(unit: str, line_text: str) -> str:
    """The size the line asks for: its parsed size word, else a size word of the item ("2 jumbo eggs", "2 potatoes,
    large"), not one of the cut or the pan ("1 potato, cut into large chunks" asks for no size)."""
    if unit in SIZES:
        return unit
    lowered = line_text.lower()
    return next((size for size in SIZES for found in re.finditer(rf"\b{size}\b", lowered)
                 if not NOT_ITEM_SIZE.match(lowered, found.end())), "")


def diameter(measure: str) -> float | None:
    found = DIAMETER.search(measure.replace("-1/", " 1/").replace("-3/", " 3/"))
    if not found:
        return None
    whole, _, fraction = found.group(1).replace("-", " ").partition(" ")
    top, _, bottom = fraction.partition("/")
    return float(whole) + (float(top) / float(bottom) if bottom else 0.0)


@lru_cache(maxsize=65_536)
def name_words(name: str) -> frozenset[str]:
    """The singular words of a name or line, read once per text: count lines compare many related foods' names
    (bounded: imported lines' texts would otherwise stay for the life of the process)."""
    return frozenset(singular(word) for word in WORDS.findall(name.lower()))


def item_portions(portions: list[Portion], food_words: set[str], line_words: set[str]) -> list[Portion]:
    """Portions that weigh one whole item ("medium", "large (3\" dia)", "fruit", "tortilla", "each"), or
    the part the line counts ("4 lemon wedges")."""
    found = []
    for portion in portions:
        words = measure_words(portion.measure)
        # "roll 1 serving", "cookie (1 NLEA serving)": a serving named after the item is one item
        part = {singular(portion.word)} & PART_WORDS or words & PART_WORDS - {"cup", "tbsp", "tsp", "oz", "lb", "g",
                                                                                 "serving", "nlea"}
        if (portion.gram_weight <= 0 or portion.word in MEASURE_VOLUMES or part - food_words - line_words
                or YIELD_PER_POUND.search(portion.measure)):
            continue
        found.append(portion)
    return found


def item_preference(portion: Portion, size: str, inches: float | None, line_words: set[str],
                    food_words: set[str]) -> float:
    """Higher is better: the size the line asks for (else medium), the kind it names ("cherry"), the width."""
    kinds = measure_words(portion.measure) - NOT_MODIFIERS - food_words
    value = 3.0 * len(kinds & line_words) - 2.0 * len(kinds - line_words)
    found_size = portion_size(portion.measure)
    if size:
        value += 4.0 if found_size == size else 0.0
    else:
        value += {"": 2.0, "medium": 1.8, "large": 1.0}.get(found_size, 0.5)  # "tortilla" before "tortilla medium"
    width = diameter(portion.measure)
    if inches is not None and width is not None:
        value += 4.0 - min(abs(width - inches), 4.0)
    return value


def named_part(portions: list[Portion], food_name: str, line_words: set[str]) -> set[str]:
    """The part the line counts ("breast" of "Chicken, broilers or fryers, breast, ...", or a cut of an animal
    such as "2 duck breasts" of "Duck, domesticated, meat only") when none of the food's own portions names
    it; empty otherwise. Other words count only after the food's first segment."""
    qualifiers = food_name.lower().split(",", 1)[1] if "," in food_name else ""
    named = {singular(word) for word in WORDS.findall(qualifiers)} | (ANIMAL_PARTS - name_words(food_name.split(",")[0]))
    counted = named & line_words - NOT_MODIFIERS
    if any(measure_words(p.measure) & counted for p in portions):
        return set()
    return counted


def close_relatives(related: list[tuple[str, Portion]], food_name: str) -> list[tuple[str, list[Portion]]]:
    """The related foods whose name has every word of this food's name but at most one ("Chicken, ..., breast,
    skinless, boneless, meat only, with added solution, raw" for the same without), each with its portions,
    the closest first."""
    own = name_words(food_name)
    close: dict[str, list[Portion]] = {}
    for name, portion in related:
        if name != food_name and portion.gram_weight > 0 and len(own - name_words(name)) <= 1:
            close.setdefault(name, []).append(portion)
    return sorted(close.items(), key=lambda pair: (-len(own & name_words(pair[0])), len(pair[0])))


def same_food_relatives(related: list[tuple[str, Portion]], food_name: str) -> list[tuple[str, list[Portion]]]:
    """The close relatives (close_relatives) that are this food in another state that weighs an item alike: every
    word of its name but its bracketed note is in theirs or is such a state ("raw", "frozen", "boiled"), and neither
    is dried or a powder, juice or concentrate of the other. "Squash, winter, acorn" is no butternut squash, a pork
    loin no pork carcass, and a fresh banana no dried one."""
    own = name_words(re.sub(r"\(.*?\)", " ", food_name))
    return [(name, portions) for name, portions in close_relatives(related, food_name)
            if own - name_words(name) <= SAME_WEIGHT_STATES and not (own ^ name_words(name)) & REWEIGHING_STATES]


def related_item(related: list[tuple[str, Portion]], food_name: str, counted: set[str]) -> Portion | None:
    """The portion weighing the counted part from the closest related food that weighs it."""
    return next((p for _, portions in close_relatives(related, food_name) for p in portions
                 if measure_words(p.measure) & counted and p.word not in MEASURE_VOLUMES), None)


def count_portion(portions: list[Portion], unit: str, food_name: str, line_text: str = "",
                  related: list[tuple[str, Portion]] = ()) -> Portion | None:
    """The portion for this count unit ("clove", "slice"); a bare count or a size word ("2 large", "3 potatoes",
    "4 6-inch tortillas") takes the whole-item portion of that size, medium when none is said. A counted part
    the food's own portions do not weigh ("2 chicken breasts" of a food with only "1 piece") takes a related
    food's portion of that part, and so do a unit and a whole item the food's own portions lack ("1 sheet puff
    pastry" of the unbaked pastry, "8 large shrimp" of a shrimp entry weighed only by the ounce)."""
    lowered = line_text.lower()
    if unit and unit not in SIZES and unit != "piece":
        named = unit_portions(portions, unit) or next(
            (found for _, own in same_food_relatives(list(related), food_name) if (found := unit_portions(own, unit))),
            [])
        if not named:
            return None
        size = next((size for size in SIZES if size in lowered), "")  # "2 medium slices": the slice's size
        return max(named, key=lambda p: (portion_size(p.measure) == size, portion_size(p.measure) == "medium"))
    food_words = name_words(food_name)
    line_words = name_words(CUT_CLAUSE.sub(" ", lowered)) - UNIT_WORDS
    if line_words & SLICE_WORDS:
        line_words |= {"slice"}
    counted = named_part(portions, food_name, line_words)
    if counted and related:
        found = related_item(list(related), food_name, counted)
        if found is not None:
            return found
    items = item_portions(portions, food_words, line_words)
    if not items and counted <= food_words:
        items = next((found for _, own in same_food_relatives(list(related), food_name)
                      if (found := whole_items(own, food_words, line_words))), [])
    if counted & ANIMAL_PARTS:  # a cut no portion weighs: a portion named after the food or another cut weighs that
        # ("2 duck breast halves" are not two "0.5 duck", "2 beef fillets" not two flank "1 steak", nor
        # "2 chicken thighs" two "0.5 breast" or two livers of a chicken-liver food), and a part the food is not
        # ("8 chicken tenders" of breast meat) is no generic "1 piece" of that food either
        other = name_words(food_name) | ANIMAL_PARTS
        items = [p for p in items if not measure_words(p.measure) & other and counted <= food_words]
    if unit == "piece" or COUNTED_PIECES.match(lowered):  # "5 chicken pieces" are parts of the bird
        piece = bird_piece(items, food_name)
        if piece is not None:
            return piece
        whole = name_words(food_name.split(",")[0])  # nor five of any portion named after the whole food
        items = [p for p in items if not measure_words(p.measure) & whole]
    if not items and not counted and (not unit or unit in SIZES):  # "2 celery, chopped": a food USDA weighs
        items = unit_portions(portions, "stalk")                      # only by the stalk counts stalks
    if not items:
        return None
    size = line_size(unit, lowered)
    inches = LINE_INCHES.search(lowered)
    width = float(inches.group(1)) if inches else None
    return max(items, key=lambda p: item_preference(p, size, width, line_words, food_words))


def whole_items(portions: list[Portion], food_words: set[str], line_words: set[str]) -> list[Portion]:
    """A related food's whole items: named only by a size or the food ("large", "parsnip (9\" long)"), not a part
    of it ("floweret") nor a cooked yield ("piece, cooked (yield from 1 lb raw meat)")."""
    return [p for p in item_portions(portions, food_words, line_words)
            if not measure_words(p.measure) - NOT_MODIFIERS - food_words]


def unit_portions(portions: list[Portion], unit: str) -> list[Portion]:
    """Portions of a count unit: named by it ("clove") or naming it ("stalk, large (11"-12" long)")."""
    return ([p for p in portions if singular(p.word) == unit]
            or [p for p in portions if p.word not in MEASURE_VOLUMES and unit in measure_words(p.measure)])


def bird_piece(items: list[Portion], food_name: str) -> Portion | None:
    """One piece of a cut-up bird, from the food's whole-bird portion (see PIECES_PER_BIRD); None for other foods."""
    birds = [p for p in items if measure_words(p.measure) & name_words(food_name) & BIRDS]
    if not birds:
        return None
    return Portion(None, birds[0].amount * PIECES_PER_BIRD, birds[0].measure, birds[0].gram_weight)


def family_volume(portions: list[Portion], unit: str, line_text: str) -> float | None:
    """Grams per ml from related foods' volume portions ("Cheese, gouda" has none; other cheeses'
    "cup, shredded" say how much shredded cheese a cup holds): the median of the best-fitting kind."""
    best = volume_portion(portions, unit, line_text)
    if best is None:
        return None
    kind = measure_words(best.measure) - {best.word}
    same = [p for p in portions if p.word in MEASURE_VOLUMES and p.gram_weight > 0
            and measure_words(p.measure) - {p.word} == kind]
    return statistics.median(p.grams_per_unit / in_unit(1, MEASURE_VOLUMES[p.word], "ml") for p in same)


@dataclass(frozen=True)
class Refuse:
    """USDA's refuse of a food as bought (SR FOOD_DES "Refuse" and "Ref_desc"), as shares of the purchased
    weight: the bone, and the skin and separable fat a meat-only entry also leaves out. `sold_bone_in` says
    that a weight of it means the part on the bone unless the line says boneless (wings, drumsticks, thighs)."""

    bone: float
    skin: float = 0.0
    sold_bone_in: bool = False

    def edible_share(self, skinless: bool) -> float:
        """The share of the weight bought that is the food: a skinless part was weighed without its skin."""
        if skinless and self.skin:
            return 1.0 - self.bone / (1.0 - self.skin)
        return 1.0 - self.bone - self.skin


def edible_share(portions: list[Portion], line_text: str, refuse: Refuse | None = None) -> float:
    """The share of a weighed food that is eaten, when the line weighs it as bought: a whole or bone-in bird by
    USDA's "unit (yield from 1 lb ready-to-cook chicken)" portion over a pound ("1 (3 pound) whole chicken"),
    shellfish in the shell by USDA's yield after the shell is removed ("5 pounds clams in shell" are 15 % clam),
    else a part by USDA's refuse ("2 pounds chicken wings" are 46 % bone); 1 for a boneless or other food."""
    lowered = line_text.lower()
    if "boneless" in lowered:
        return 1.0
    shelled = next((p for p in portions if YIELD_AFTER_SHELL.match(p.measure)), None)
    if shelled is not None and IN_SHELL.search(lowered):
        weighed = in_unit(shelled.amount, YIELD_AFTER_SHELL.match(shelled.measure)["unit"], "g")
        return min(shelled.gram_weight / weighed, 1.0)
    as_purchased = bool(AS_PURCHASED.search(lowered))
    found = next((p for p in portions if YIELD_PER_POUND.search(p.measure) and p.amount == 1), None)
    if as_purchased and found:
        return min(found.gram_weight / GRAMS_PER_POUND, 1.0)
    if refuse is not None and (as_purchased or refuse.sold_bone_in):
        return refuse.edible_share(bool(SKINLESS.search(lowered)))
    return 1.0


def drained_share(line_text: str, food_name: str) -> float:
    """DRAINED_SHARE for the label weight of cans of a food USDA gives as drained solids, or of drained cans of a
    food USDA gives cooked without its liquid ("1 (15 ounce) can pigeon peas, drained" of boiled pigeon peas,
    which USDA has no canned entry for); else 1."""
    lowered, name = line_text.lower(), food_name.lower()
    solids = "drained solids" in name or ("drain" in lowered and bool(COOKED_NOT_CANNED.search(name)))
    return DRAINED_SHARE if CAN.search(lowered) and solids else 1.0


def size_ratio(unit: str, portion: Portion) -> float:
    """The weight of the size the line asks for ("2 small cucumbers") over that of the sized portion weighed
    with; 1 when the line asks for no size or the portion names none (USDA's unsized item is its typical one)."""
    found = portion_size(portion.measure)
    if unit not in SIZE_RATIOS or not found:
        return 1.0
    return SIZE_RATIOS[unit] / SIZE_RATIOS[found]


def item_grams(portion: Portion, line_text: str = "", food_name: str = "") -> float:
    """Grams of one counted item: a half portion of a pair or side ("0.5 breast") is one item to a cook, and a
    whole fish is its two fillets ("2 whole sea bass" of a food USDA weighs by the fillet, one side)."""
    if portion.amount == 0.5 and singular(portion.word) in HALF_COUNTED:
        return portion.gram_weight
    if singular(portion.word) == "fillet" and food_name.startswith("Fish,") and WHOLE_FISH.search(line_text.lower()):
        return 2 * portion.grams_per_unit
    return portion.grams_per_unit


def typical_grams(unit: str, food_name: str, line_text: str = "") -> float | None:
    """A typical weight for a count unit or a whole food that USDA has no portion for."""
    food_words = measure_words(food_name)
    if unit == "head":
        return next((grams for word, grams in HEAD_GRAMS.items() if word in food_words), None)
    if unit == "bunch" and food_words & GREENS_WORDS:
        return GREENS_BUNCH_GRAMS
    if unit in COUNT_WORDS and "bread" in food_words and "baguette" in measure_words(line_text):
        inches = LINE_INCHES.search(line_text.lower())
        return BAGUETTE_GRAMS * min(float(inches.group(1)) / BAGUETTE_INCHES, 1.0) if inches else BAGUETTE_GRAMS
    named = ((food_words, TYPICAL_ITEM_GRAMS), (food_words, TYPICAL_WHOLE_GRAMS),
             (measure_words(line_text), LINE_WHOLE_GRAMS))
    return TYPICAL_ITEM_GRAMS.get(unit) or next(
        (grams for words, table in named for word, grams in table.items() if unit in COUNT_WORDS and word in words),
        None)


def to_grams(quantity: float | None, unit: str, portions: list[Portion], *, density_g_per_ml: float | None = None,
             line_text: str = "", food_name: str = "the food", family_portions: list[Portion] = (),
             related_items: list[tuple[str, Portion]] = (), refuse: Refuse | None = None) -> Conversion:
    """Grams for a quantity; volume goes through the food's volume portion, else its density, else the
    related foods' volume portions; counts through the portion of that unit or size (or a related food's
    portion of the counted part), else a typical weight. A weight of a food bought with its bones counts the
    part that is eaten (see edible_share)."""
    if quantity is None:
        return Conversion(None, problem="no quantity given")
    if unit in MASS_UNITS:
        return Conversion(in_unit(quantity, unit, "g") * edible_share(portions, line_text, refuse)
                          * drained_share(line_text, food_name))
    if unit in VOLUME_UNITS:
        portion = volume_portion(portions, unit, line_text)
        if portion is not None:
            measure = MEASURE_VOLUMES[portion.word]
            per_ml = portion.grams_per_unit / in_unit(1, measure, "ml")
            return Conversion(in_unit(quantity, unit, "ml") * per_ml, portion)
        per_ml = density_g_per_ml or family_volume(list(family_portions), unit, line_text)
        if per_ml:
            return Conversion(in_unit(quantity, unit, "ml") * per_ml)
        return Conversion(None, problem=f"no volume portion or density for {food_name} to convert {unit}")
    portion = count_portion(portions, unit, food_name, line_text, related_items)
    if portion is not None:
        return Conversion(quantity * item_grams(portion, line_text, food_name) * size_ratio(unit, portion), portion)
    typical = typical_grams(unit, food_name, line_text)
    if typical:
        return Conversion(quantity * typical * (drained_share(line_text, food_name) if unit == "can" else 1.0))
    what = f"a “{unit}”" if unit else "one item"
    return Conversion(None, problem=f"no USDA portion says what {what} of {food_name} weighs")
