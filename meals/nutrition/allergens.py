"""Allergens and diet facts of foods and recipes, derived from a curated rule table (pure).

A food's tags come from `meals/data/allergen_rules.csv`: its USDA food group,
regular expressions over its name, and explicit per-food exceptions, applied in
order so a later rule can undo an earlier one. A recipe's tags are the union of
its foods' tags; a line without a food makes them unknown, because an unknown
food could be anything. Diets follow from the tags (and keto from the macros).
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "allergen_rules.csv"

# EU Regulation 1169/2011 Annex II, as slugs of the Allergen table (migration 0002).
ALLERGENS = ("gluten", "crustaceans", "eggs", "fish", "peanuts", "soy", "milk", "tree-nuts", "celery",
             "mustard", "sesame", "sulphites", "lupin", "molluscs")
DIET_FACTS = ("meat", "fish", "shellfish", "dairy", "egg", "honey", "alcohol")
# A diet fact every food carrying the allergen has; "shellfish" may also be set alone (sea cucumber).
IMPLIED_FACTS = {"fish": "fish", "crustaceans": "shellfish", "molluscs": "shellfish", "milk": "dairy", "eggs": "egg"}
RULE_TAGS = frozenset(ALLERGENS) | {"meat", "shellfish", "honey", "alcohol"}

# What each derived diet rules out. Keto is a macro rule, see `is_keto`.
DIET_EXCLUDES = {
    "vegetarian": {"meat", "fish", "shellfish"},
    "vegan": {"meat", "fish", "shellfish", "dairy", "egg", "honey"},
    "pescatarian": {"meat"},
    "gluten-free": {"gluten"},
    "dairy-free": {"dairy"},
}
KETO_MAX_CARB_ENERGY = 0.10  # net carbohydrate at most 10 % of the energy (the keto split is 5 %)
KETO_MIN_COVERAGE = 0.9


class RuleTableError(ValueError):
    """The rule file is malformed; the message names the line."""


@dataclass(frozen=True)
class Rule:
    kind: str  # "group", "name" or "ndb"
    match: str
    unless: re.Pattern | None
    add: frozenset[str]
    remove: frozenset[str]
    pattern: re.Pattern | None = None

    def applies(self, name: str, category: str, source_id: str) -> bool:
        if self.kind == "group":
            hit = category == self.match
        elif self.kind == "ndb":
            hit = source_id == self.match
        else:
            hit = self.pattern.search(name) is not None
        return hit and not (self.unless and self.unless.search(name))


@dataclass(frozen=True)
class FoodTags:
    """What one food contains: EU allergen slugs and diet facts."""

    allergens: frozenset[str] = frozenset()
    facts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleTable:
    rules: tuple[Rule, ...]

    def classify(self, name: str, category: str = "", source_id: str = "") -> FoodTags:
        tags: set[str] = set()
        for rule in self.rules:
            if rule.applies(name, category, source_id):
                tags = (tags | rule.add) - rule.remove
        allergens = frozenset(tags & set(ALLERGENS))
        facts = frozenset((tags - allergens) | {IMPLIED_FACTS[a] for a in allergens if a in IMPLIED_FACTS})
        return FoodTags(allergens, facts)


def _compile(text: str, where: str) -> re.Pattern | None:
    if not text:
        return None
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as error:
        raise RuleTableError(f"{where}: bad regular expression: {error}") from error


def _tags(text: str, where: str) -> frozenset[str]:
    tags = frozenset(text.split())
    if unknown := tags - RULE_TAGS:
        raise RuleTableError(f"{where}: unknown tag {', '.join(sorted(unknown))}")
    return tags


def read_rules(path: Path = RULES_FILE) -> RuleTable:
    """Parse the rule file; group and name rules keep their order, ndb exceptions go last."""
    ordered, exceptions = [], []
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["kind"].startswith("#"):
                continue
            where = f"{path.name} line {number}"
            kind, match = row["kind"].strip(), row["match"].strip()
            if kind not in ("group", "name", "ndb") or not match:
                raise RuleTableError(f"{where}: expected kind group/name/ndb and a match")
            rule = Rule(kind, match, _compile(row["unless"].strip(), where), _tags(row["add"], where),
                        _tags(row["remove"], where), _compile(match, where) if kind == "name" else None)
            (exceptions if kind == "ndb" else ordered).append(rule)
    return RuleTable(tuple(ordered + exceptions))


@lru_cache(maxsize=1)
def default_rules() -> RuleTable:
    return read_rules()


def food_tags(name: str, category: str = "", source_id: str = "") -> FoodTags:
    """A food's tags by the repository's rule table."""
    return default_rules().classify(name, category, source_id)


def join_tags(tags: Iterable[str]) -> str:
    """The stored form: sorted slugs separated by spaces."""
    return " ".join(sorted(tags))


def split_tags(text: str) -> frozenset[str]:
    return frozenset(text.split())


def validate_allergen_slugs(value: str) -> None:
    """Model validator: only the EU allergen slugs, space-separated."""
    if unknown := set(value.split()) - set(ALLERGENS):
        raise ValidationError(f"Unknown allergen {', '.join(sorted(unknown))}; use {' '.join(ALLERGENS)}.")


def validate_diet_facts(value: str) -> None:
    if unknown := set(value.split()) - set(DIET_FACTS):
        raise ValidationError(f"Unknown diet fact {', '.join(sorted(unknown))}; use {' '.join(DIET_FACTS)}.")


def food_tags_of(food) -> FoodTags | None:
    """A stored food's tags (its `allergen_slugs` and `diet_facts` columns); None for no food."""
    return FoodTags(split_tags(food.allergen_slugs), split_tags(food.diet_facts)) if food is not None else None


@dataclass(frozen=True)
class RecipeTags:
    allergens: frozenset[str]
    facts: frozenset[str]
    allergens_unknown: bool
    unknown_lines: tuple[int, ...] = ()  # positions of lines with no food
    diets: frozenset[str] = field(default_factory=frozenset)


def is_keto(per_serving: dict[str, float], coverage: float) -> bool:
    """Net carbohydrate (carbohydrate minus fiber) at most 10 % of energy, with most lines counted."""
    kcal = per_serving.get("energy_kcal") or 0.0
    if kcal <= 0 or coverage < KETO_MIN_COVERAGE:
        return False
    net_carbs = max(0.0, (per_serving.get("carbohydrate_g") or 0.0) - (per_serving.get("fiber_g") or 0.0))
    return 4 * net_carbs <= KETO_MAX_CARB_ENERGY * kcal


def recipe_tags(lines: list[FoodTags | None], *, added_allergens: Iterable[str] = (),
                per_serving: dict[str, float] | None = None, coverage: float = 0.0) -> RecipeTags:
    """Union of the lines' tags plus the allergens staff added; diets only when every line is known.

    `lines` holds one FoodTags per ingredient line, None for a line with no food.
    A recipe without lines is unknown too: nothing vouches for it.
    """
    unknown = tuple(position for position, tags in enumerate(lines) if tags is None)
    known = [tags for tags in lines if tags is not None]
    allergens = frozenset().union(*(tags.allergens for tags in known), added_allergens)
    facts = frozenset().union(*(tags.facts for tags in known),
                              (IMPLIED_FACTS[a] for a in allergens if a in IMPLIED_FACTS))
    diets: set[str] = set()
    if lines and not unknown:
        everything = allergens | facts
        diets = {diet for diet, excluded in DIET_EXCLUDES.items() if not everything & excluded}
        if is_keto(per_serving or {}, coverage):
            diets.add("keto")
    return RecipeTags(allergens, facts, bool(unknown) or not lines, unknown, frozenset(diets))
