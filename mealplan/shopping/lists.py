"""Pure shopping-list arithmetic: planned recipe lines in, aisles of amounts in a shopper's words out.

No ORM here: the selector reads the plan into `IngredientUse` rows, this
module sums them per food and formats the sums for people.
"""

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache

import pint

from meals.groceries.costs import AISLES
from meals.groceries.shopper import (TAP, ShopperFood, bought_by_volume, rule_aisle, shopper_food, unit_grams,
                                     volume_density)
from meals.parsing.scaling import LEADING_AMOUNT, friendly_number, grams_per_teaspoon, in_spoons, scale_text

OTHER_AISLE = "Other"
# Weights and volumes are rounded up to what a shop sells: (up to this amount, step).
SHOP_STEPS = ((10, 1), (100, 5), (500, 25), (2000, 50), (float("inf"), 100))
COUNT_SLACK = 0.15  # 4.1 eggs needed → buy 4: recipes' amounts are not that exact
PACK_UNITS = frozenset({"can", "jar", "pack", "tin"})  # shown with their size: "2 cans (400 g)"
# A few grams of what a kitchen keeps in its spice rack (salt, spices, baking powder and soda, yeast: the Spices
# aisle, USDA's "Spices and Herbs" group and "Leavening agents" on the Pantry's shelves) are said in spoons, to check the cupboard for,
# up to 3 tablespoons (more is bought by weight: 10 g of bay leaves are no "⅓ cup").
SPOON_GROUPS = frozenset({"Spices and Herbs"})
SPOON_DESCRIPTIONS = ("leavening agents",)
SPOON_BELOW_GRAMS = 15
SPOON_MOST_TSP = 9


@cache
def _inflect():
    import inflect

    return inflect.engine()


def plural(noun: str, count: float) -> str:
    """"2 onions", "3 sweet potatoes", "1 head"."""
    return noun if count == 1 else _inflect().plural_noun(noun)


@dataclass(frozen=True)
class IngredientUse:
    """One ingredient line of one planned meal.

    `grams` is the weight for the whole recipe (None when the line could not be
    converted); `factor` is the share of the recipe bought for this meal:
    planned servings × household size / recipe servings. `food_name`, `category` and
    `source_id` are the food's USDA description, group and NDB number (see meals.groceries.shopper);
    `shop_as` is what to buy when the food only stands in for the one the line names ("Quark").
    """

    food_id: int | None
    food_name: str
    category: str
    grams: float | None
    factor: float
    text: str
    recipe_title: str
    density_g_per_ml: float | None = None
    source_id: str = ""
    shop_as: str = ""


@dataclass(frozen=True)
class ShoppingItem:
    """One thing to buy: foods with the same shopper name merged, cooked foods as raw or dry.

    Its tick is stored under `food_id`, the first of the merged foods, or, for what stand-in foods are bought as,
    under `key` (stand_in_key): the stand-in food may be on the list as itself too (quark and cottage cheese).
    """

    food_id: int
    name: str
    grams: float
    unmeasured: tuple[str, ...]
    density_g_per_ml: float | None = None
    count_unit: str = ""
    unit_grams: float | None = None
    key: str = ""
    pieces: float | None = None  # merged foods each counted by its own piece (lemons, their juice and zest)
    grams_per_tsp: float | None = None  # set for a kitchen-cupboard food: a few grams are said in spoons

    @property
    def tick(self) -> tuple[str, str]:
        """The form field and value that tick it (see ShoppingChecks.ticks)."""
        return ("line", self.key) if self.key else ("food", str(self.food_id))

    @property
    def count(self) -> int | None:
        """Whole pieces to buy, when the food is bought by the piece."""
        if self.pieces is not None and self.count_unit and self.grams > 0:
            return max(1, math.ceil(round(self.pieces, 6) - COUNT_SLACK))
        if not (self.count_unit and self.unit_grams and self.grams > 0):
            return None
        return max(1, math.ceil(self.grams / self.unit_grams - COUNT_SLACK))

    @property
    def amount(self) -> str:
        """"4 eggs", "2 cans (400 g)", "350 g", plus lines that had no weight ("+ salt to taste")."""
        parts = [self._bought] if self.grams > 0 else []
        parts += self.unmeasured
        return " + ".join(parts)

    @property
    def _bought(self) -> str:
        count = self.count
        if count is None:
            if (self.grams_per_tsp and not self.density_g_per_ml and self.grams < SPOON_BELOW_GRAMS
                    and self.grams / self.grams_per_tsp <= SPOON_MOST_TSP):
                return in_spoons(self.grams, self.grams_per_tsp)
            return friendly_amount(self.grams, self.density_g_per_ml)
        size = f" ({self.unit_grams:g} g)" if self.count_unit in PACK_UNITS else ""
        return f"{count} {plural(self.count_unit, count)}{size}"


def line_key(text: str) -> str:
    """A short stable key for an unmatched line, the same for the same words in any case or spacing."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:32]


def stand_in_key(name: str) -> str:
    """The tick key of what stand-in foods are bought as, apart from any unmatched line's."""
    return line_key(f"stand-in: {name}")


@dataclass(frozen=True)
class UnresolvedLine:
    """A recipe line matched to no food: shown as written, never dropped, ticked by its `key`.

    The same words from several meals are one line; `factor` is the sum of their shares, so it
    multiplies the amount the line states ("1 pinch saffron" ×1.5).
    """

    text: str
    recipe_titles: tuple[str, ...]
    factor: float

    @property
    def key(self) -> str:
        return line_key(self.text)

    @property
    def recipe_title(self) -> str:
        return ", ".join(self.recipe_titles)

    @property
    def multiplier(self) -> str:
        return f"×{friendly_number(round(self.factor, 2))}"

    @property
    def amount(self) -> str:
        """The multiplier and where the line comes from, in one cell (the CSV's)."""
        return f"{self.multiplier} · {self.recipe_title}"


@dataclass(frozen=True)
class Aisle:
    """Foods of one category; the "Other" aisle also holds the lines matched to no food."""

    name: str
    items: tuple[ShoppingItem, ...]
    lines: tuple[UnresolvedLine, ...] = ()


@dataclass(frozen=True)
class ShoppingList:
    aisles: tuple[Aisle, ...]

    @property
    def unresolved(self) -> tuple[UnresolvedLine, ...]:
        return tuple(line for aisle in self.aisles for line in aisle.lines)

    @property
    def food_ids(self) -> frozenset[int]:
        return frozenset(item.food_id for aisle in self.aisles for item in aisle.items if not item.key)

    @property
    def line_keys(self) -> frozenset[str]:
        return frozenset(line.key for line in self.unresolved) | frozenset(
            item.key for aisle in self.aisles for item in aisle.items if item.key)

    @property
    def size(self) -> int:
        """How many things can be ticked."""
        return len(self.food_ids) + len(self.line_keys)


@cache
def _units() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def _round_up_for_shopping(value: float) -> float:
    """Up to the next amount a shop sells: whole grams below 10, then 5, 25, 50, 100 g steps."""
    for limit, step in SHOP_STEPS:
        if value <= limit:
            return float(math.ceil(round(value / step, 6)) * step)
    return value


def friendly_amount(grams: float, density_g_per_ml: float | None = None) -> str:
    """Show a weight as g/kg, or as ml/l for foods bought by volume (known density)."""
    units = _units()
    if density_g_per_ml:
        quantity = units.Quantity(grams / density_g_per_ml, "milliliter")
        big_unit = "liter"
    else:
        quantity = units.Quantity(grams, "gram")
        big_unit = "kilogram"
    magnitude = _round_up_for_shopping(quantity.magnitude)
    quantity = units.Quantity(magnitude, quantity.units)
    if magnitude >= 1000:
        quantity = quantity.to(big_unit)
        magnitude = round(quantity.magnitude, 2 if quantity.magnitude < 10 else 1)
        quantity = units.Quantity(magnitude, quantity.units)
    return f"{quantity.magnitude:g} {quantity.units:~}"


def _scaled_text(text: str, factor: float) -> str:
    """The line at the share bought ("½ box spaghetti"); one without an amount to scale says its share."""
    if abs(factor - 1) < 0.01:
        return text
    if LEADING_AMOUNT.match(text):
        return scale_text(text, factor)
    return f"{text} (×{friendly_number(round(factor, 2))})"


def _in_the_spice_rack(use: IngredientUse, shopper: ShopperFood) -> bool:
    """The Spices aisle, and salt, baking powder and yeast on the Pantry's shelves (not capers or mustard in a jar)."""
    return shopper.aisle == "Spices" or shopper.aisle == "Pantry" and (
        use.category in SPOON_GROUPS or use.food_name.lower().startswith(SPOON_DESCRIPTIONS))


def _grams_per_tsp(portions: list[tuple[str, float]]) -> float | None:
    return grams_per_teaspoon([(1, measure, grams) for measure, grams in portions])


def _unmeasured(lines: dict[str, float]) -> tuple[str, ...]:
    """Lines without a weight, the same words from several meals once at their summed share."""
    return tuple(_scaled_text(text, factor) for text, factor in lines.items())


def _unresolved_lines(uses: list[IngredientUse]) -> tuple[UnresolvedLine, ...]:
    """Lines matched to no food, one per wording (first spelling shown), sorted by text."""
    first_text: dict[str, str] = {}
    titles: dict[str, dict[str, None]] = defaultdict(dict)
    factors: dict[str, float] = defaultdict(float)
    for use in uses:
        key = line_key(use.text)
        first_text.setdefault(key, use.text)
        titles[key][use.recipe_title] = None
        factors[key] += use.factor
    lines = (UnresolvedLine(text=first_text[key], recipe_titles=tuple(titles[key]), factor=factors[key])
             for key in first_text)
    return tuple(sorted(lines, key=lambda line: line.text.casefold()))


def build_shopping_list(uses: list[IngredientUse], portions: dict[int, list[tuple[str, float]]] | None = None
                        ) -> ShoppingList:
    """Sum what to buy per shopper food (meals.groceries.shopper) and group it by aisle, in the order of a shop.

    Cooked foods become their raw or dry weight; foods with one shopper name are one item; a stand-in food is
    bought as what the line names (`shop_as`), in its aisle; `portions` (food id → USDA (measure, grams per unit))
    weigh counted pieces. A line counted as 0 g ("Salt.", "lobster (optional)") shows its words only on an item
    with nothing else to show, which would otherwise have no amount.
    Lines matched to no food go to the "Other" aisle, after its foods.
    """
    portions = portions or {}
    grams: dict[tuple, float] = defaultdict(float)
    pieces: dict[tuple, float | None] = defaultdict(float)  # None once a merged food cannot be counted
    unmeasured: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unweighed: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # counted as 0 g ("Salt.")
    first: dict[tuple, tuple[IngredientUse, ShopperFood]] = {}
    counted: dict[tuple, tuple[IngredientUse, ShopperFood]] = {}  # the first merged food bought by the piece
    densities: dict[tuple, float] = {}  # the first merged food's whose USDA volume weighs it
    for use in uses:
        if use.food_id is None:
            continue
        shopper = shopper_food(use.source_id, use.food_name, use.category)
        if shopper.aisle == TAP:
            if not use.shop_as:  # tap water is not bought; rose water standing in for it is, in its group's aisle
                continue
            shopper = replace(shopper, aisle=rule_aisle(use.food_name, use.category))
        key = (shopper.aisle, use.shop_as or shopper.name, bool(use.shop_as))
        if key not in first or use.food_id < first[key][0].food_id:
            first[key] = (use, shopper)
        if shopper.count_unit and (key not in counted or use.food_id < counted[key][0].food_id):
            counted[key] = (use, shopper)
        density = use.density_g_per_ml or volume_density(portions.get(use.food_id, []))
        if density and key not in densities:
            densities[key] = density
        if use.grams is None:
            unmeasured[key][use.text] += use.factor
            continue
        if use.grams == 0:
            unweighed[key][use.text] += use.factor
            continue
        bought = use.grams * use.factor * (shopper.raw_per_cooked or 1)
        grams[key] += bought
        piece = unit_grams(shopper, portions.get(use.food_id, []))
        pieces[key] = None if pieces[key] is None or not piece else pieces[key] + bought / piece
    by_aisle: dict[str, list[ShoppingItem]] = defaultdict(list)
    for key, (use, shopper) in first.items():
        _aisle, name, stand_in = key
        use, shopper = counted.get(key, (use, shopper))
        food_portions = portions.get(use.food_id, [])
        density = densities.get(key) if bought_by_volume(name) or use.density_g_per_ml else None
        by_aisle[shopper.aisle].append(ShoppingItem(
            food_id=first[key][0].food_id, name=name, key=stand_in_key(name) if stand_in else "",
            grams=grams[key], unmeasured=_unmeasured(unmeasured[key] or ({} if grams[key] else unweighed[key])),
            density_g_per_ml=None if shopper.raw_per_cooked else density,
            count_unit=shopper.count_unit, unit_grams=unit_grams(shopper, food_portions),
            pieces=pieces[key] if shopper.count_unit and pieces.get(key) else None,
            grams_per_tsp=_grams_per_tsp(food_portions) if _in_the_spice_rack(use, shopper) else None,
        ))
    lines = _unresolved_lines([use for use in uses if use.food_id is None])
    if lines:
        by_aisle.setdefault(OTHER_AISLE, [])
    order = {name: number for number, name in enumerate((*AISLES, OTHER_AISLE))}
    return ShoppingList(aisles=tuple(
        Aisle(name=name, items=tuple(sorted(items, key=lambda item: item.name.lower())),
              lines=lines if name == OTHER_AISLE else ())
        for name, items in sorted(by_aisle.items(), key=lambda pair: (order.get(pair[0], len(order) - 1), pair[0]))
    ))
