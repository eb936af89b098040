"""Pure shopping-list arithmetic: planned recipe lines in, aisles of amounts out.

No ORM here: the selector reads the plan into `IngredientUse` rows, this
module sums them per food and formats the sums for people.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import pint

from meals.scaling import friendly_number

OTHER_AISLE = "Other"
# First words of USDA portion measures that count things people pick up in a shop
# ("3 medium", "1 head"), as opposed to volumes and weights ("cup", "tbsp", "oz").
COUNTABLE_MEASURES = frozenset(
    {"large", "medium", "small", "extra", "head", "stalk", "leaf", "fillet", "tortilla", "bunch", "can",
     "slice", "clove", "fruit", "whole", "breast", "egg", "bar", "block", "spear", "bagel", "link", "piece"}
)

SIZE_WORDS = frozenset({"large", "medium", "small", "extra", "whole"})


@dataclass(frozen=True)
class CountUnit:
    """A countable household unit of a food: "medium" weighing 182 g."""

    name: str
    grams: float

    def name_for(self, count: float) -> str:
        """"3 slices", "2 bunches", but "3 medium": sizes are adjectives and stay as they are."""
        if count <= 1 or self.name.split(" ")[0].lower() in SIZE_WORDS or self.name.endswith("s"):
            return self.name
        return self.name + ("es" if self.name.endswith(("ch", "sh")) else "s")


def countable_unit(portions: list[tuple[str, float]]) -> CountUnit | None:
    """The first countable portion among (measure, grams per unit), in USDA's order."""
    for measure, grams in portions:
        name = measure.split("(")[0].split(",")[0].strip()
        if grams > 0 and name.split(" ")[0].lower() in COUNTABLE_MEASURES:
            return CountUnit(name=name, grams=grams)
    return None


@dataclass(frozen=True)
class IngredientUse:
    """One ingredient line of one planned meal.

    `grams` is the weight for the whole recipe (None when the line could not be
    converted); `factor` is the share of the recipe bought for this meal:
    planned servings × household size / recipe servings.
    """

    food_id: int | None
    food_name: str
    category: str
    grams: float | None
    factor: float
    text: str
    recipe_title: str
    density_g_per_ml: float | None = None


@dataclass(frozen=True)
class ShoppingItem:
    food_id: int
    name: str
    grams: float
    unmeasured: tuple[str, ...]
    density_g_per_ml: float | None = None
    count_unit: CountUnit | None = None

    @property
    def amount(self) -> str:
        """Friendly total ("1.2 kg (≈ 7 medium)"), plus lines that had no weight ("+ 1 pinch salt")."""
        parts = [friendly_amount(self.grams, self.density_g_per_ml) + self._count_hint] if self.grams > 0 else []
        parts += self.unmeasured
        return " + ".join(parts)

    @property
    def _count_hint(self) -> str:
        if self.count_unit is None:
            return ""
        count = round(2 * self.grams / self.count_unit.grams) / 2
        if count < 0.5:
            return ""
        return f" (≈ {friendly_number(count)} {self.count_unit.name_for(count)})"


def line_key(text: str) -> str:
    """A short stable key for an unmatched line, the same for the same words in any case or spacing."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:32]


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
        return frozenset(item.food_id for aisle in self.aisles for item in aisle.items)

    @property
    def line_keys(self) -> frozenset[str]:
        return frozenset(line.key for line in self.unresolved)

    @property
    def size(self) -> int:
        """How many things can be ticked."""
        return len(self.food_ids) + len(self.line_keys)


@cache
def _units() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def _round_for_people(value: float) -> float:
    """Two significant figures below 100, whole numbers above: "350 g", "1.2 kg", "4.5 g"."""
    if value >= 100:
        return float(round(value))
    return float(f"{value:.2g}")


def friendly_amount(grams: float, density_g_per_ml: float | None = None) -> str:
    """Show a weight as g/kg, or as ml/l for foods bought by volume (known density)."""
    units = _units()
    if density_g_per_ml:
        quantity = units.Quantity(grams / density_g_per_ml, "milliliter")
        big_unit = "liter"
    else:
        quantity = units.Quantity(grams, "gram")
        big_unit = "kilogram"
    magnitude = _round_for_people(quantity.magnitude)
    quantity = units.Quantity(magnitude, quantity.units)
    if magnitude >= 1000:
        quantity = quantity.to(big_unit)
        magnitude = round(quantity.magnitude, 2 if quantity.magnitude < 10 else 1)
        quantity = units.Quantity(magnitude, quantity.units)
    return f"{quantity.magnitude:g} {quantity.units:~}"


def _scaled_text(text: str, factor: float) -> str:
    return text if abs(factor - 1) < 0.01 else f"{text} (×{factor:.2g})"


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


def build_shopping_list(uses: list[IngredientUse], count_units: dict[int, CountUnit] | None = None) -> ShoppingList:
    """Sum grams per food and group foods by category (the aisle); `count_units` add "≈ 3 medium".

    Lines matched to no food go to the "Other" aisle, after its foods.
    """
    count_units = count_units or {}
    grams: dict[int, float] = defaultdict(float)
    unmeasured: dict[int, list[str]] = defaultdict(list)
    first_use: dict[int, IngredientUse] = {}
    for use in uses:
        if use.food_id is None:
            continue
        first_use.setdefault(use.food_id, use)
        if use.grams is None:
            unmeasured[use.food_id].append(_scaled_text(use.text, use.factor))
        else:
            grams[use.food_id] += use.grams * use.factor
    by_aisle: dict[str, list[ShoppingItem]] = defaultdict(list)
    for food_id, use in first_use.items():
        by_aisle[use.category or OTHER_AISLE].append(
            ShoppingItem(
                food_id=food_id,
                name=use.food_name,
                grams=grams[food_id],
                unmeasured=tuple(unmeasured[food_id]),
                density_g_per_ml=use.density_g_per_ml,
                count_unit=count_units.get(food_id),
            )
        )
    lines = _unresolved_lines([use for use in uses if use.food_id is None])
    if lines:
        by_aisle.setdefault(OTHER_AISLE, [])
    return ShoppingList(aisles=tuple(
        Aisle(name=name, items=tuple(sorted(items, key=lambda item: item.name.lower())),
              lines=lines if name == OTHER_AISLE else ())
        for name, items in sorted(by_aisle.items(), key=lambda pair: (pair[0] == OTHER_AISLE, pair[0]))
    ))
