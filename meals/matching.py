"""Find the Food an ingredient name refers to.

First the curated synonyms table (meals/data/food_synonyms.csv: common
ingredient names -> the plain USDA entry a cook means), then a database search
for candidates ranked by meals.food_scoring. PostgreSQL searches with full-text
search and, for misspellings, trigram similarity (pg_trgm); other databases
with a word-contains filter.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Max, Q, When
from django.db.models.functions import Length

from meals.food_scoring import PREP_HINTS, FoodCandidate, Query, best_match, document_frequencies, key_tokens, tokens
from meals.models import Food, FoodSource

SYNONYMS_FILE = Path(__file__).parent / "data" / "food_synonyms.csv"
CANDIDATE_LIMIT = 1500
TRIGRAM_THRESHOLD = 0.5
FRESH_HERB_UNITS = ("sprig", "bunch")
ALTERNATIVE = re.compile(r"\s(?:or|and/or)\s", re.IGNORECASE)
CANDIDATE_FIELDS = ("id", "name", "category", "common_names", "is_sr_legacy")


@dataclass(frozen=True)
class FoodMatch:
    food: Food | None
    confidence: float
    problem: str = ""


@cache
def synonyms() -> dict[str, str]:
    """Normalised ingredient name -> NDB number."""
    with SYNONYMS_FILE.open(newline="", encoding="utf-8") as handle:
        return {" ".join(tokens(row["name"])): row["ndb_no"] for row in csv.DictReader(handle)}


def synonym_food(name: str, hints: tuple[str, ...], word_counts: Counter) -> Food | None:
    """The curated entry for this name; with state hints ("canned") only an entry naming that state."""
    table, words = synonyms(), key_tokens(name)
    known = [word for word in words if word_counts[word]]  # words no food uses cannot change the food
    if hints:
        keys = [" ".join([*hints, *words]), " ".join([*hints, *known])]
    else:
        keys = [" ".join(tokens(name)), " ".join(words), " ".join(word for word in words if word != "fresh"),
                " ".join(known)]
    for key in keys:
        if key in table:
            return Food.objects.filter(source=FoodSource.SR28, source_id=table[key]).first()
    return None


@lru_cache(maxsize=1)
def cached_frequencies(food_count: int, last_id: int | None) -> tuple[Counter, int]:
    return document_frequencies(f"{name} {common}" for name, common in Food.objects.values_list("name", "common_names"))


def frequencies() -> tuple[Counter, int]:
    """(word -> number of foods using it, number of foods), recomputed when the food table has changed."""
    return cached_frequencies(Food.objects.count(), Food.objects.aggregate(last=Max("id"))["last"])


def candidate_foods(words: list[str]) -> list[FoodCandidate]:
    """Foods containing any of the words, the most relevant first, at most CANDIDATE_LIMIT."""
    rows = postgres_candidates(words) if connection.vendor == "postgresql" else contains_candidates(words)
    return [FoodCandidate(*row) for row in rows]


def contains_candidates(words: list[str]) -> list[tuple]:
    """Any database: foods with the head noun (the last word) first, then those with any word."""
    def containing(word: str) -> Q:
        return Q(name__icontains=word) | Q(common_names__icontains=word)

    any_word = Q()
    for word in words:
        any_word |= containing(word)
    with_head = Case(When(containing(words[-1]), then=0), default=1)
    return list(
        Food.objects.filter(any_word).order_by(with_head, Length("name")).values_list(*CANDIDATE_FIELDS)[
            :CANDIDATE_LIMIT
        ]
    )


def postgres_candidates(words: list[str]) -> list[tuple]:
    """PostgreSQL full-text search on name and common names, ranked by ts_rank."""
    vector = SearchVector("name", "common_names", config="english")
    search = SearchQuery(" or ".join(words), search_type="websearch", config="english")
    return list(
        Food.objects.annotate(document=vector, rank=SearchRank(vector, search))
        .filter(document=search)
        .order_by("-rank", Length("name"))
        .values_list(*CANDIDATE_FIELDS)[:CANDIDATE_LIMIT]
    )


def misspelling_match(name: str) -> FoodMatch:
    """PostgreSQL only: the food whose name is most trigram-similar ("brocolli" -> "Broccoli, raw")."""
    if connection.vendor != "postgresql":
        return FoodMatch(None, 0.0, f"no food matches {name!r}")
    found = (
        Food.objects.annotate(similarity=TrigramWordSimilarity(name, "name"))
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "-is_sr_legacy", Length("name"))
        .first()
    )
    if found is None:
        return FoodMatch(None, 0.0, f"no food matches {name!r}")
    return FoodMatch(found, round(found.similarity * 0.8, 3))


def state_hints(preparation: str, container: str = "", unit: str = "") -> tuple[str, ...]:
    """Words outside the food name that change which entry is right: "cooked", a can, a sprig of herbs."""
    hints = [PREP_HINTS[word] for word in tokens(preparation) if word in PREP_HINTS]
    hints += [word for word in tokens(preparation) if word.endswith("%")]  # "(93/7)" -> 93% lean, 7% fat
    if container == "can":
        hints.append("canned")
    if unit in FRESH_HERB_UNITS:
        hints.append("fresh")
    return tuple(dict.fromkeys(hints))


def match_food(name: str, *, hints: tuple[str, ...] = ()) -> FoodMatch:
    """Best Food for an ingredient name; `hints` are state words the line implies (see state_hints).

    "ghee or clarified butter" is matched on its first alternative.
    """
    name = ALTERNATIVE.split(name)[0]
    words = key_tokens(name)
    if not any(word.isalpha() for word in words):
        return FoodMatch(None, 0.0, f"no food name in {name!r}")
    word_counts, food_count = frequencies()
    food = synonym_food(name, hints, word_counts)
    if food is not None:
        return FoodMatch(food, 1.0)
    hints = tuple(hint for hint in hints if hint not in words)
    query = Query.build([*words[:-1], *hints, *words[-1:]], word_counts, food_count)  # head noun stays last
    if not query.words:
        return misspelling_match(name)
    best, confidence = best_match(query, candidate_foods(list(query.words)))
    if best is None:
        return FoodMatch(None, 0.0, f"no food matches {name!r}")
    return FoodMatch(Food.objects.get(pk=best.id), confidence)
