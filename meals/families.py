"""Dish families: the catalog's variants of one dish ("Bagel with cream cheese", "Bagels with
cream cheese #12") share a family, so the planner's repeat limits count them together.

A family is the title stem (its words, lower-cased, singular, without variant numbers ("#12")
and filler words, in any order) with the recipe's main protein, which is derived from its
ingredients: the protein source giving most of its protein ("Curry" with chicken and "Curry"
with lentils are two dishes). Pure: titles and ingredient facts in, words and integers out.
"""

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

FILLER = frozenset({"a", "an", "and", "the", "with", "of", "in", "on", "for", "style", "easy", "quick", "simple",
                    "classic", "homemade", "my", "best"})

NO_PROTEIN = "none"
MAIN_PROTEINS = ("chicken", "beef", "pork", "lamb", "fish", "shellfish", "eggs", "dairy", "legumes", "tofu/tempeh",
                 NO_PROTEIN)
# A source is the main protein only when it gives at least this share of the recipe's protein.
MAIN_PROTEIN_SHARE = 0.25
# USDA SR28 food groups that are one protein source as a whole.
GROUP_PROTEIN = {
    "Poultry Products": "chicken",
    "Beef Products": "beef",
    "Pork Products": "pork",
    "Lamb, Veal, and Game Products": "lamb",
}
NAME_PROTEIN = (  # name words, first match wins, for the mixed groups and foods without a group
    (("tofu", "tempeh"), "tofu/tempeh"),
    (("chicken", "turkey", "duck"), "chicken"),
    (("beef",), "beef"),
    (("pork", "ham", "bacon"), "pork"),
    (("lamb", "mutton", "veal"), "lamb"),
)
FACT_PROTEIN = (("shellfish", "shellfish"), ("fish", "fish"), ("egg", "eggs"), ("dairy", "dairy"))


@dataclass(frozen=True)
class ProteinLine:
    """What one ingredient line says about protein: its food's name, USDA group and diet facts,
    and the grams of protein it adds to the recipe."""

    name: str
    group: str
    facts: frozenset[str]
    protein_g: float


def title_stem(title: str) -> str:
    """'Bagels with Cream Cheese #12' → 'bagel cheese cream'."""
    words = {word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
             for word in re.findall(r"[a-z0-9]+", re.sub(r"#\s*\d+", " ", title.lower())) if word not in FILLER}
    return " ".join(sorted(words))


def protein_source(line: ProteinLine) -> str:
    """Which of MAIN_PROTEINS a food is (NO_PROTEIN for grains, vegetables, nuts …)."""
    name = line.name.lower()
    if line.group in GROUP_PROTEIN:
        return GROUP_PROTEIN[line.group]
    for words, source in NAME_PROTEIN:
        if any(re.search(rf"\b{word}", name) for word in words):
            return source
    if line.group == "Legumes and Legume Products":
        return "legumes"
    if line.group == "Dairy and Egg Products":
        return "eggs" if name.startswith("egg") else "dairy"
    for fact, source in FACT_PROTEIN:
        if fact in line.facts:
            return source
    return NO_PROTEIN


def main_protein(lines: Iterable[ProteinLine]) -> str:
    """The source giving the most protein, when it gives at least MAIN_PROTEIN_SHARE of it."""
    lines = list(lines)
    total = sum(max(line.protein_g, 0.0) for line in lines)
    by_source = Counter()
    for line in lines:
        by_source[protein_source(line)] += max(line.protein_g, 0.0)
    by_source.pop(NO_PROTEIN, None)
    if not by_source or total <= 0:
        return NO_PROTEIN
    source, grams = max(by_source.items(), key=lambda item: (item[1], item[0]))
    return source if grams >= MAIN_PROTEIN_SHARE * total else NO_PROTEIN


def main_protein_of_lines(lines) -> str:
    """`main_protein` of stored ingredient lines (anything with `food_id`, `grams` and a `food` with
    name, category, diet_facts and protein_g): the weighed lines with a food count."""
    return main_protein(
        ProteinLine(line.food.name, line.food.category, frozenset(line.food.diet_facts.split()),
                    line.grams * (line.food.protein_g or 0) / 100)
        for line in lines if line.food_id is not None and line.grams)


def family_id(title: str, protein: str = NO_PROTEIN) -> int:
    """A stable integer per title stem and main protein (the same in every process, unlike `hash`)."""
    return zlib.crc32(f"{title_stem(title)}|{protein}".encode())
