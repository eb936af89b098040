"""Find the Food an ingredient name refers to.

First the curated synonyms table (meals/data/food_synonyms.csv: common
ingredient names -> the plain USDA entry a cook means), then the foods sharing
the name's words, ranked by meals.nutrition.food_scoring. The words of every food's name
are indexed in memory once per process (a few MB for SR28, rebuilt when the
food table changes), because a full-text query per ingredient line cost tens of
milliseconds; on PostgreSQL a misspelt name falls back to trigram similarity.
"""

import csv
import re
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property, lru_cache
from pathlib import Path

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import Length

from meals.models import Food, FoodPortion, FoodSource
from meals.nutrition.food_scoring import (ALIKE_KINDS, ANIMALS, COOKING_METHODS, DESCRIPTIVE, FAT_LEVELS, MEAT_FORMS,
                                          NO_FAT, PLAIN_QUALIFIERS, PREP_HINTS, PROCESSED, PRODUCT_KINDS, PRODUCT_WORDS,
                                          RESTRICTED_CATEGORIES, STATE_WORDS, WITHOUT, FoodCandidate, Query, best_match,
                                          fold, key_tokens, name_coverage, stated_words, tokens)
from meals.nutrition.spelling import Vocabulary, corrected_name, vocabulary
from meals.parsing.ingredients import parse_line
from meals.parsing.units import MEASURE_VOLUMES, Portion, Refuse

SYNONYMS_FILE = Path(__file__).parent.parent / "data" / "food_synonyms.csv"
REFUSE_FILE = Path(__file__).parent.parent / "data" / "usda_refuse.csv"
CANDIDATE_LIMIT = 300
CHOICE_CACHE_SIZE = 50_000  # names remembered per food index (a few MB at most)
INDEX_CHECK_SECONDS = 10
TRIGRAM_THRESHOLD = 0.5
MISSPELLING_CANDIDATES = 5
SPELT_CONFIDENCE = 0.8  # a name matched once its misspelt words were corrected (spelling.corrected_name)
NEAR_SPELLING = 0.85  # difflib's ratio of a misspelt word to the food's word ("brocolli" 0.88, "quark" 0.67)
FRESH_HERB_UNITS = ("sprig", "bunch")
PREPOSITION = re.compile(r"\s(?:in|with|from|on|that|which)\s", re.IGNORECASE)  # "lobster that weighs"
ALTERNATIVE = re.compile(r"\s(?:or|and/or)\s", re.IGNORECASE)
CANDIDATE_FIELDS = ("id", "name", "category", "common_names", "is_sr_legacy")
# Words in a curated food's name that a can contradicts ("Chickpeas, mature seeds, raw" is not what a can holds).
NOT_CANNED = {"raw", "dried", "dry", "dehydrated", "frozen", "cooked", "boiled", "uncooked", "fresh"}
# A state hint without a curated entry of its own keeps the plain name's curated food unless the food's name
# contradicts it: a can is not raw, a sprig or bunch is not a dried spice, a skinless part has no skin.
CONTRADICTED_BY = {"canned": NOT_CANNED, "fresh": {"dried", "dry", "dehydrated", "canned", "seed", "ground"},
                   "skinless": {"skin"}}
# Line words that mean the skin is off ("boneless" thighs and breasts are sold skinless): a "skinless" hint,
# used only to choose among curated entries ("chicken thigh" is sold skin-on, "skinless chicken thigh" is not).
SKINLESS_WORDS = {"skinless", "boneless"}
# Preparation words that take the skin off ("chicken leg quarters, skin removed"): a "skinless" hint.
SKIN_OFF = re.compile(r"\b(?:skins? removed|skinned|without (?:the )?skin)\b", re.IGNORECASE)
# A brand ("Swanson® Chicken Broth", "Campbell's® Condensed Beef Broth"): the food is the rest of the name, unless
# the brand is itself a curated name ("cherry Jell-O®" is a gelatin dessert, not cherries).
TRADEMARKED = re.compile(r"([\w'’.-]+)\s*[®™]")
# Words that leave the choice to the cook ("tomatoes of any variety", "onions of any kind"): they name no food.
ANY_KIND = re.compile(r"\s+of\s+(?:any|some)\s+(?:kind|type|sort|variety|size|colou?r)s?\b[^()]*$", re.IGNORECASE)
ASIDE = re.compile(r"\([^)]*\)")  # "milkfish (bangus)": another name for the food, not its head
# Words that make a name another food or another state of it: a curated name is not found by dropping them.
KEEPS_THE_FOOD = PROCESSED | STATE_WORDS | PRODUCT_WORDS | FAT_LEVELS | {
    "lean", "extra", "powdered", "ground", "whole", "instant", "evaporated", "condensed", "unsweetened", "self"}
MEAT_GROUPS = {"Beef Products", "Pork Products", "Lamb, Veal, and Game Products", "Poultry Products"}
BEEF = "Beef Products"
# Words of a USDA name that say the entry is cooked ("pan-fried", "cooked, roasted"): the scorer's cooking methods
# bar those a raw food can be too (drained, heated).
COOKED_STATES = (COOKING_METHODS - {"drained", "heated"}) | {"cooked", "pan"}
# States a cook writes in a food's name that choose another USDA entry of the same food ("frozen peas", "light
# mayonnaise"), and those for which the plain entry is a fair stand-in where USDA has none in that state.
NAMED_STATES = STATE_WORDS | FAT_LEVELS | NO_FAT | {"dry"}
MILD_STATES = FAT_LEVELS | {"roasted", "grilled", "toasted", "frozen", "smoked"}
FRUITS = "Fruits and Fruit Juices"
# Line words that mean the food is cooked ("3 cups steamed rice", "leftover rice"): a "cooked" hint.
COOKED_WORDS = {"steamed": "cooked", "leftover": "cooked"}


# Foods already read in this batch (see batch_food_reads); None outside a batch.
_batch_foods: ContextVar[dict[int, Food] | None] = ContextVar("batch_foods", default=None)


@contextmanager
def batch_food_reads():
    """Within the block each matched food is read once, with its portions (a catalog import matches the
    same few hundred foods thousands of times); outside it every match reads the current row."""
    token = _batch_foods.set({})
    try:
        yield
    finally:
        _batch_foods.reset(token)


def load_foods(food_ids) -> dict[int, Food]:
    """The foods with their portions prefetched (two queries for all of them, none when this batch read them
    all already)."""
    batch = _batch_foods.get()
    found = {food_id: batch[food_id] for food_id in food_ids if food_id in batch} if batch is not None else {}
    missing = [food_id for food_id in food_ids if food_id not in found]
    if missing:
        read = Food.objects.prefetch_related("portions").in_bulk(missing)
        found.update(read)
        if batch is not None:
            batch.update(read)
    return found


def load_food(food_id: int) -> Food:
    """The food with its portions prefetched, from this batch's reads when there is one."""
    return load_foods([food_id])[food_id]


@dataclass(frozen=True)
class FoodChoice:
    """The food an ingredient name refers to, by id, before it is read (see load_foods)."""

    food_id: int | None
    confidence: float
    problem: str = ""
    shop_as: str = ""  # what to buy when the food only stands in for the named one (stand_in_name)


@dataclass(frozen=True)
class FoodMatch:
    food: Food | None
    confidence: float
    problem: str = ""


@cache
def synonym_rows() -> tuple[dict[str, str], ...]:
    """The rows of the curated synonyms table, read once for synonyms() and stand_ins()."""
    with SYNONYMS_FILE.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def synonyms() -> dict[str, str]:
    """Normalised ingredient name -> NDB number."""
    return {" ".join(tokens(row["name"])): row["ndb_no"] for row in synonym_rows()}


@cache
def stand_ins() -> dict[tuple[str, ...], tuple[str, str]]:
    """Normalised words -> (NDB number, the shopper's words) of the curated names whose food only stands in for
    them (the `shop_as` column: SR28 has no quark, so its nutrition is creamed cottage cheese's, but a shopper buys
    quark)."""
    return {tokens(row["name"]): (row["ndb_no"], row["shop_as"]) for row in synonym_rows() if row["shop_as"]}


def stand_in_name(name: str, food_id: int, by_source_id: dict[str, int]) -> str:
    """What to buy for a line naming `name` matched to `food_id` (`by_source_id`: NDB number -> food id): the
    shopper's words of the longest stand-in name of that food the name has, word for word ("fresh curry leaves" ->
    "Curry leaves", but "sugar, cinnamon" is no cinnamon sugar); "" when the food is the one named (cottage cheese is
    bought as itself)."""
    words = tokens(name)
    found = [(len(key), shop_as) for key, (ndb, shop_as) in stand_ins().items()
             if by_source_id.get(ndb) == food_id
             and any(words[start:start + len(key)] == key for start in range(len(words) - len(key) + 1))]
    return max(found, default=(0, ""))[1]


@cache
def usda_refuse() -> dict[str, Refuse]:
    """NDB number -> the food's refuse as bought (meals/data/usda_refuse.csv: USDA SR's own "Refuse" percentage
    and "Ref_desc" description from FOOD_DES, which the shared SR28 extract leaves out, for the parts and birds
    recipes weigh on the bone; copied from the FOOD_DES.txt of schirinos/nutrient-db at a778e27, an SR release
    before SR28: its 05062 is still the bone-in breast, so that row is left out, and the rows kept name the same
    foods as SR28; the lamb and veal rows from SR28's own FOOD_DES.txt, masilver99/SR28-PSQL at 60939b1, whose
    New Zealand and Australian cuts the older release lacks; game meats have no refuse in SR28). The bone share and, for a meat-only entry, the skin and separable fat share are split out of
    the description."""
    with REFUSE_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["ndb_no"]: Refuse(float(row["bone_percent"]) / 100, float(row["skin_percent"]) / 100,
                                      row["sold_bone_in"] == "1")
                for row in csv.DictReader(handle)}


def refuse_of(food: Food) -> Refuse | None:
    return usda_refuse().get(food.source_id) if food.source == FoodSource.SR28 else None


@dataclass(frozen=True)
class FoodIndex:
    """Every food as a scoring candidate, which foods use each word, and NDB number -> id."""

    foods: dict[int, FoodCandidate]
    by_word: dict[str, tuple[int, ...]]
    by_source_id: dict[str, int]
    frequencies: Counter
    total: int
    family_volumes: dict[str, tuple[Portion, ...]]  # family (see food_family) -> its foods' volume portions
    family_items: dict[str, tuple[tuple[str, Portion], ...]]  # family -> (food name, portion) of its other portions
    # (name, hints) -> the choice made for them against this index: gone with the index when foods change
    choices: dict[tuple[str, tuple[str, ...]], "FoodChoice"] = field(default_factory=dict, compare=False)

    def related_volume_portions(self, food_name: str) -> tuple[Portion, ...]:
        return self.family_volumes.get(food_family(food_name), ())

    def related_item_portions(self, food_name: str) -> tuple[tuple[str, Portion], ...]:
        return self.family_items.get(food_family(food_name), ())

    @cached_property
    def spelling_vocabulary(self) -> Vocabulary:
        """The words of these foods and of the curated names (see meals.nutrition.spelling), built on the first
        correction and gone with the index."""
        return vocabulary((f"{food.name} {food.common_names}" for food in self.foods.values()),
                          (row["name"] for row in synonym_rows()))


def food_family(name: str) -> str:
    """The first segment of a USDA name ("Cheese, gouda" -> "cheese"): foods that are alike in bulk."""
    return " ".join(tokens(name.split(",")[0]))


def family_portions(foods: dict[int, FoodCandidate]) -> tuple[dict[str, tuple[Portion, ...]],
                                                                 dict[str, tuple[tuple[str, Portion], ...]]]:
    """Per family: its foods' volume portions, and its foods' other portions with the food's name."""
    volumes, items = defaultdict(list), defaultdict(list)
    rows = FoodPortion.objects.values_list("food_id", "id", "amount", "measure", "gram_weight")
    for food_id, *fields in rows.iterator(chunk_size=5000):
        if food_id not in foods:
            continue
        portion, name = Portion(*fields), foods[food_id].name
        if portion.word in MEASURE_VOLUMES:
            volumes[food_family(name)].append(portion)
        else:
            items[food_family(name)].append((name, portion))
    return ({family: tuple(portions) for family, portions in volumes.items()},
            {family: tuple(portions) for family, portions in items.items()})


def index_foods(rows, portions=family_portions) -> FoodIndex:
    """The index of (FoodCandidate, NDB number or None) rows; `portions` gives the families' portions of the foods
    (tests index the shared SR28 names without a database: no portions)."""
    foods, by_word, by_source_id = {}, defaultdict(list), {}
    for food, ndb in rows:
        foods[food.id] = food
        for word in set(tokens(f"{food.name} {food.common_names}")):
            by_word[word].append(food.id)
        if ndb is not None:
            by_source_id[ndb] = food.id
    frequencies = Counter({word: len(ids) for word, ids in by_word.items()})
    return FoodIndex(foods, {word: tuple(ids) for word, ids in by_word.items()}, by_source_id, frequencies, len(foods),
                     *portions(foods))


@lru_cache(maxsize=1)
def build_index(food_count: int, last_id: int | None) -> FoodIndex:
    rows = Food.objects.values_list(*CANDIDATE_FIELDS, "source", "source_id")
    return index_foods((FoodCandidate(*fields), source_id if source == FoodSource.SR28 else None)
                       for *fields, source, source_id in rows.iterator(chunk_size=2000))


_checked = {"at": float("-inf"), "index": None}


def food_index() -> FoodIndex:
    """The index for the food table (one aggregate query, at most every INDEX_CHECK_SECONDS, tells whether
    foods were added or removed: a USDA import shows within that time without a query per line)."""
    now = time.monotonic()
    if _checked["index"] is None or now - _checked["at"] > INDEX_CHECK_SECONDS:
        state = Food.objects.aggregate(count=Count("id"), last=Max("id"))
        _checked.update(at=now, index=build_index(state["count"], state["last"]))
    return _checked["index"]


def forget_line_caches() -> None:
    """Forget parsed lines and the choices made for names (to time a first reading, or after the synonyms
    changed); the food index itself stays."""
    parse_line.cache_clear()
    if _checked["index"] is not None:
        _checked["index"].choices.clear()


def forget_food_index() -> None:
    """Rebuild on next use (after foods were renamed, or between tests whose foods reuse ids)."""
    build_index.cache_clear()
    _checked.update(at=float("-inf"), index=None)


def shorter_names(words: list[str]) -> list[str]:
    """The name without its first words, longest first, as far as the dropped words leave the food itself: a
    "sesame seed hamburger bun" is a hamburger bun and "hot strong coffee" coffee, but a state or product word
    ("smoked salmon", "almond milk") is never dropped, and one word is left only when the others just describe."""
    found, curated = [], synonyms()
    for start in range(1, len(words)):
        dropped = set(words[:start])
        if (dropped & KEEPS_THE_FOOD or any(not word.isalpha() for word in dropped)  # "85% lean ground beef"
                or words[start - 1] in curated):  # a food by itself: "plain yogurt (whole milk)" is no milk
            break
        if len(words) - start >= 2 or dropped <= DESCRIPTIVE:
            found.append(" ".join(words[start:]))
    return found


def names_apart(name: str) -> list[str]:
    """The names a bracketed name gives, in the order they name the food: a bracket holding the head noun outside it
    is the fuller name ("flour (wholemeal wheat flour)"), then the name outside the brackets ("ghee (clarified
    butter)" is ghee, "plain yogurt (whole milk)" plain yogurt, "sweet rice flour (mochiko)" sweet rice flour), then
    the other brackets ("white (daikon) radish" is a daikon). None for a name without brackets."""
    asides = [aside[1:-1] for aside in ASIDE.findall(name)]
    outside = ASIDE.sub(" ", name)
    head = set(key_tokens(outside)[-1:])
    fuller = [aside for aside in asides if head & set(key_tokens(aside))]
    return [*fuller, outside, *(aside for aside in asides if aside not in fuller)] if asides else []


def curated_apart(name: str, hints: tuple[str, ...], index: FoodIndex) -> int | None:
    """The curated entry of the name outside the brackets or of a bracketed one (names_apart), as written or without
    its first describing words (shorter_names): not by its known words alone, where "dende oil (palm oil)" would be
    any oil. A bracket curated as one kind of the food the first name is curated as says which kind it is ("chinese
    cabbage (bok choy)" is bok choy, not the napa cabbage "chinese cabbage" alone means)."""
    found = [(part, food_id) for part in names_apart(name)
             if (food_id := curated_part(part, hints, index)) is not None]
    if not found:
        return None
    part, food_id = found[0]
    for _aside, other_id in found[1:]:  # "chinese cabbage (bok choy)": the bracket says which Chinese cabbage
        if other_id != food_id and is_kind_of(index.foods[other_id], part):
            return other_id
    return food_id


def curated_part(part: str, hints: tuple[str, ...], index: FoodIndex) -> int | None:
    table = synonyms()
    words = key_tokens(part)
    for key in [" ".join([*hints, *words])] if hints else [" ".join(words), *shorter_names(words)]:
        if key in table:
            return index.by_source_id.get(table[key])
    return None


def is_kind_of(food: FoodCandidate, name: str) -> bool:
    """The food is one of the foods `name` names: its USDA name or common names have all the name's words
    ("Cabbage, chinese (pak-choi), raw", common name bok choy, is a Chinese cabbage)."""
    return set(key_tokens(name)) <= set(tokens(f"{food.name} {food.common_names}"))


def synonym_food(name: str, hints: tuple[str, ...], index: FoodIndex) -> int | None:
    """The curated entry for this name; with state hints ("canned") only an entry naming that state."""
    food_id = curated_apart(name, hints, index)
    if food_id is not None:
        return food_id
    word_counts = index.frequencies
    table, words = synonyms(), key_tokens(name)
    known = [word for word in words if word_counts[word]]  # words no food uses cannot change the food
    if hints:
        keys = [" ".join([*hints, *words]), " ".join([*hints, *known])]
    else:
        keys = [" ".join(tokens(name)), " ".join(words), " ".join(word for word in words if word != "fresh"),
                " ".join(known), " ".join(word for word in known if word != "fresh")]
        keys += shorter_names(words)
        if len(words) >= 2 and words[-1] == "meat" and ANIMALS & set(words):  # "lamb stew meat", "goat meat"
            keys.append(" ".join(word for word in words if word not in DESCRIPTIVE | {"stew", "meat"}))
        if words and not word_counts[words[-1]]:  # a head noun no food uses ("tiger prawns"): the curated head
            keys.append(words[-1])
    for key in keys:
        if key in table:
            return index.by_source_id.get(table[key])
    if hints and all(hint in CONTRADICTED_BY for hint in hints):  # "2 cans chicken broth", "1 bunch collard greens"
        food_id = synonym_food(name, (), index)
        contradicted = set().union(*(CONTRADICTED_BY[hint] for hint in hints))
        if food_id is not None and not set(tokens(index.foods[food_id].name)) & contradicted:
            return food_id
    return None


def kind_of(name: str) -> str:
    """The part of a USDA name that says which food it is, before the entries of it differ ("Peppers, sweet, red,
    raw" -> "Peppers, sweet"; "Onions, raw" -> "Onions"; "Salad dressing, mayonnaise, regular" -> "Salad dressing,
    mayonnaise")."""
    segments = name.split(",")
    if len(segments) > 1 and set(tokens(segments[1])) <= PLAIN_QUALIFIERS | PROCESSED | STATE_WORDS:
        return segments[0]
    return ",".join(segments[:2])


def kin(food: FoodCandidate, index: FoodIndex) -> list[FoodCandidate]:
    """The entries of the same food as this one, in its other states ("Beans, snap, green, frozen, ...")."""
    kind = kind_of(food.name)
    words = tokens(kind)
    ids = set(index.by_word.get(words[0], ())).intersection(*(index.by_word.get(word, ()) for word in words[1:]))
    return [index.foods[food_id] for food_id in ids if index.foods[food_id].name.startswith(kind)]


def stated_synonym_food(name: str, hints: tuple[str, ...], index: FoodIndex) -> int | None:
    """A state written on a curated name ("frozen French cut green beans", "light mayonnaise", "dry unsweetened
    coconut"): the entry of the curated food in that state that differs least from it and is no other product (see
    nearness), else the curated food itself when the state changes a food little (a roasted pepper from a jar counts
    like a raw one; a canned or cooked food does not count like a raw one, so those go to the search)."""
    words = key_tokens(name)
    states = {word for word in (*words, *hints) if word in NAMED_STATES}
    plain = [word for word in words if word not in NAMED_STATES]
    if not states:
        return unprocessed_synonym_food(words, index)
    if not plain:
        return None
    base_id = synonym_food(" ".join(plain), (), index)
    if base_id is None:
        return None
    base = index.foods[base_id]
    members = [food for food in kin(base, index)  # another product is no state of the food ("chocolate" milk)
               if not (set(tokens(food.name)) & PRODUCT_WORDS) - set(tokens(base.name)) - set(words)]
    for wanted in (states, states - MILD_STATES):  # a state USDA lacks that changes a food little is left out
        in_state = [food for food in members if wanted <= stated_words(set(tokens(food.name)))]
        if wanted and in_state:
            base_words = set(tokens(base.name))
            return min(in_state, key=lambda food: nearness(set(tokens(food.name)), base_words, food.name)).id
    return base_id if states <= MILD_STATES else None


def unprocessed_synonym_food(words: list[str], index: FoodIndex) -> int | None:
    """"un-X" written on a curated name whose food is X ("unsweetened coconut flakes", where "coconut flakes" are
    USDA's sweetened flaked coconut): the entry of that food that is not X and differs least from it."""
    negated = {word[2:] for word in words if word.startswith("un") and word[2:] in PROCESSED}
    plain = [word for word in words if not (word.startswith("un") and word[2:] in negated)]
    if not negated or not plain:
        return None
    base_id = synonym_food(" ".join(plain), (), index)
    if base_id is None:
        return None
    base = index.foods[base_id]
    if not negated & set(tokens(WITHOUT.sub("", base.name))):  # the search weighs the rest ("unsmoked ham")
        return None
    base_words = set(tokens(base.name))
    members = [food for food in kin(base, index) if not negated & set(tokens(WITHOUT.sub("", food.name)))
               and not (set(tokens(food.name)) & PRODUCT_WORDS) - base_words]
    return min(members, key=lambda food: nearness(set(tokens(food.name)), base_words, food.name)).id if members else None


def nearness(words: set[str], base_words: set[str], name: str) -> tuple[int, int, int]:
    """Sort key of a curated food's entries in a state: fewest words changed, then most kept ("cooked elbow macaroni"
    is the enriched cooked pasta, not whole-wheat), then the shortest name."""
    return len(words ^ base_words), -len(words & base_words), len(name)


def candidate_foods(query: Query, index: FoodIndex) -> list[FoodCandidate]:
    """Foods sharing the query's words, the CANDIDATE_LIMIT with the most word weight (shortest names first)."""
    weight = Counter()
    for word in query.words:
        for food_id in index.by_word.get(word, ()):
            weight[food_id] += query.weights[word]
    ranked = sorted(weight, key=lambda food_id: (-weight[food_id], len(index.foods[food_id].name)))
    return [index.foods[food_id] for food_id in ranked[:CANDIDATE_LIMIT]]


def misspelling_choice(name: str) -> FoodChoice:
    """PostgreSQL only: the name spelt as the most trigram-similar food spells it, when that food's words are its words
    with a letter or two wrong (see nearest_spelling), then matched as any name ("cinammon" is ground cinnamon,
    whose name is not the most similar); never a dish, restaurant item or beverage."""
    if connection.vendor != "postgresql" or set(key_tokens(name)) <= DESCRIPTIVE:  # "mealy" (potatoes) is no meal
        return FoodChoice(None, 0.0, f"no food matches {name!r}")
    words = " ".join(key_tokens(name))  # "brocolli florets": a floret is a form of it
    found = (
        Food.objects.annotate(similarity=TrigramWordSimilarity(words, "name"))
        .filter(similarity__gte=TRIGRAM_THRESHOLD).exclude(category__in=RESTRICTED_CATEGORIES)
        .order_by("-similarity", "-is_sr_legacy", Length("name"))
        .values_list("id", "similarity", "name")[:MISSPELLING_CANDIDATES]
    )
    for food_id, similarity, food_name in found:
        spelt = nearest_spelling(name, food_name)
        if spelt is not None and spelt != words:  # spelt otherwise: matched as spelt
            choice = choose_food(spelt)
            return (FoodChoice(choice.food_id, round(choice.confidence * 0.8, 3)) if choice.food_id is not None
                    else FoodChoice(food_id, round(similarity * 0.8, 3)))
    return FoodChoice(None, 0.0, f"no food matches {name!r}")


def nearest_spelling(name: str, food_name: str) -> str | None:
    """The name with each word replaced by the food name's word (or two words written as one) it misspells (a letter
    or two wrong, missing or swapped: "tumeric" is turmeric, "bayleaf" bay leaf); None when a word only shares a few
    letters with one: "quark" is no Quarter Pound veggie burger, "cachaca" no cacao, "skewers" no chicken skin."""
    words = tokens(food_name)
    written = {word: word for word in words} | {first + second: f"{first} {second}"  # "bayleaf" is bay leaf
                                                for first, second in zip(words, words[1:])}
    spelt = []
    for word in key_tokens(name):
        ratio, nearest = max((SequenceMatcher(None, word, other).ratio(), other) for other in written)
        if ratio < NEAR_SPELLING:
            return None
        spelt.append(written[nearest])
    return " ".join(spelt)


def state_hints(preparation: str, container: str = "", unit: str = "") -> tuple[str, ...]:
    """Words outside the food name that change which entry is right: "cooked", a can, a sprig of herbs."""
    hints = [PREP_HINTS[word] for word in tokens(preparation) if word in PREP_HINTS]
    if SKIN_OFF.search(preparation):  # "chicken leg quarters, skin removed"
        hints.append("skinless")
    hints += [word for word in tokens(preparation) if word.endswith("%")]  # "(93/7)" -> 93% lean, 7% fat
    if container in ("can", "jar"):  # USDA's canned foods are sealed and heat-treated, in cans or jars
        hints.append("canned")
    if unit in FRESH_HERB_UNITS:
        hints.append("fresh")
    return tuple(dict.fromkeys(hints))


def head_last(name: str) -> str:
    """The name with its head noun last: in "clams in shell" or "tuna in oil" the food comes before "in"."""
    parts = PREPOSITION.split(name, maxsplit=1)
    return f"{parts[1]} {parts[0]}" if len(parts) == 2 and parts[0].strip() else name


def cut_before_form(words: list[str]) -> list[str]:
    """The cut as the head noun, not the form it is sold in: a "pork shoulder roast" is pork shoulder and "salmon
    steaks" salmon (USDA names the cut first and the form only for some entries: "Pork, fresh, shoulder, whole",
    "Pork, fresh, loin, top loin (roasts)"). "Pork chops" keep their head: the animal alone is no cut. Meat is
    the form of the animal named before it."""
    if len(words) >= 2 and words[-1] in MEAT_FORMS and words[-2] not in ANIMALS:
        return [*words[:-2], words[-1], words[-2]]
    if len(words) >= 2 and words[-1] == "meat":  # "crawfish tail meat", "crab meat": the animal is the food
        return [words[-1], *words[:-1]]
    return words


def not_a_food_name(query: Query, words: list[str]) -> bool:
    """True when the words foods know only describe ("fresh lingonberries": no food is a lingonberry, and
    "fresh" alone names queso fresco), or name a product kind while the line's own words for which
    product are unknown ("tom yum paste" is no almond paste), unless products of that kind stand in for one
    another."""
    known = set(query.words)
    if known <= DESCRIPTIVE:
        return True
    return (known <= DESCRIPTIVE | PRODUCT_KINDS and query.head not in ALIKE_KINDS  # "adobo seasoning" is a seasoning
            and any(word not in known for word in words))


def head_nouns(name: str) -> set[str]:
    """The head noun of the name outside brackets and of each bracketed other name ("cachaca (Brazilian rum)"), as the
    query writes them."""
    parts = [ASIDE.sub(" ", name), *(aside[1:-1] for aside in ASIDE.findall(name))]
    heads = (key_tokens(head_last(fold(part)))[-1:] for part in parts)
    return {COOKED_WORDS.get(word, word) for head in heads for word in head}


def leaves_of_a_fruit(name: str, food: FoodCandidate) -> bool:
    """Makrut lime leaves, banana leaves, lemon leaves are no fruit (a leaf is ignored as the form of an herb:
    "mint leaves" are mint); USDA's leaves of a fruit plant say so ("Grape leaves, raw")."""
    return "leaf" in tokens(name) and food.category == FRUITS and "leaf" not in tokens(food.name)


def is_paste_of_known_food(words: list[str], index: FoodIndex) -> bool:
    """"ginger-garlic paste", "miso paste", "date paste": a paste named by foods the catalog knows, every word of them
    (a "tom yum paste" is not a paste of yum)."""
    return len(words) > 1 and words[-1] == "paste" and all(index.frequencies[word] for word in words[:-1])


def choose_food(name: str, *, hints: tuple[str, ...] = ()) -> FoodChoice:
    """Best Food for an ingredient name, by id (no food row is read); `hints` are state words the line implies
    (see state_hints).

    "ghee or clarified butter" is matched on its first alternative.
    """
    name = ANY_KIND.sub("", TRADEMARKED.sub(brand_or_food, ALTERNATIVE.split(name)[0])) or name
    words = cut_before_form([COOKED_WORDS.get(word, word) for word in key_tokens(head_last(fold(name)))])
    if any(word in COOKED_WORDS for word in tokens(name)) and "cooked" not in hints:
        hints = (*hints, "cooked")
    if not any(word.isalpha() for word in words):
        return FoodChoice(None, 0.0, f"no food name in {name!r}")
    hints = tuple(hint for hint in hints if hint != "ground" or ANIMALS & set(words))  # minced meat is ground meat
    index = food_index()
    skinless = ("skinless",) if SKINLESS_WORDS & set(tokens(name)) and "skinless" not in hints else ()
    food_id = synonym_food(name, (*hints, *skinless), index)
    if food_id is None:
        food_id = stated_synonym_food(name, hints, index)
    if food_id is not None and leaves_of_a_fruit(name, index.foods[food_id]):
        return leaf_choice(name, words, index)
    if food_id is not None:
        return FoodChoice(food_id, 1.0, shop_as=stand_in_name(name, food_id, index.by_source_id))
    hints = tuple(hint for hint in hints if hint not in words and hint != "skinless")
    query = Query.build([*words[:-1], *hints, *words[-1:]], index.frequencies, index.total)  # head noun stays last
    if not query.words:
        return misspelling_choice(name)
    if not_a_food_name(query, words):
        return FoodChoice(None, 0.0, f"no food matches {name!r}")
    if not (head_nouns(name) or {words[-1]}) & set(query.words):
        # no food has the head noun: USDA lacks the food ("kabob skewers", "red food coloring" share only a qualifier
        # with foods), or it is misspelt, where a whole-name trigram search found worse ("White whine" is no wheat)
        return FoodChoice(None, 0.0, f"no food matches {name!r}")
    best, confidence = best_match(query, candidate_foods(query, index))
    if best is None and is_paste_of_known_food(words, index):  # no such paste: the food it is ground from
        return choose_food(" ".join(words[:-1]), hints=hints)
    if best is None and hints:  # words outside the name steer the choice, they do not veto the food it names
        return choose_food(name)
    if best is not None and leaves_of_a_fruit(name, best):
        return leaf_choice(name, words, index)
    if best is None:
        return FoodChoice(None, 0.0, f"no food matches {name!r}")
    if best.category in MEAT_GROUPS and not ANIMALS & set(words):
        best = beef_cut(query, best, index)
    return FoodChoice(raw_cut(query, best, index).id, confidence)


def brand_or_food(mark: re.Match) -> str:
    """A trademarked word left out of the name, or kept when the table knows it as a food (see TRADEMARKED)."""
    word = mark.group(1)
    return word if " ".join(tokens(word)) in synonyms() else " "


def raw_cut(query: Query, food: FoodCandidate, index: FoodIndex) -> FoodCandidate:
    """A cut of meat the line does not say is cooked is bought raw: the raw entry of the cut found cooked ("skin-on,
    bone-in pork shoulder roast" is no roasted shoulder), when USDA has one with the line's words the cooked one has
    (but the form it is sold in: USDA names "(roasts)" only for some cooked entries)."""
    words = set(tokens(food.name))
    if food.category not in MEAT_GROUPS or not words & COOKED_STATES or set(query.words) & COOKED_STATES:
        return food
    named = set(query.words) & words - MEAT_FORMS
    wanted = (words - COOKED_STATES) | {"raw"}
    raw = [member for member in kin(food, index) if {"raw", *named} <= set(tokens(member.name))]
    return min(raw, key=lambda member: (len(set(tokens(member.name)) ^ wanted), len(member.name)), default=food)


def beef_cut(query: Query, best: FoodCandidate, index: FoodIndex) -> FoodCandidate:
    """A cut named without its animal is beef when beef has it ("rump roast" is no emu rump, "top round" no veal):
    the best beef entry, when it has as much of the line as the food found."""
    beef_query = Query.build(["beef", *query.words], index.frequencies, index.total)
    beef, _confidence = best_match(beef_query, candidate_foods(beef_query, index))
    if beef is not None and beef.category == BEEF and name_coverage(query, beef) >= name_coverage(query, best):
        return beef
    return best


def leaf_choice(name: str, words: list[str], index: FoodIndex) -> FoodChoice:
    """The leaves of a fruit plant as leaves ("Grape leaves, raw"; an aromatic leaf USDA lacks: another leaf)."""
    query = Query.build([*words, "leaf"], index.frequencies, index.total)
    best, confidence = best_match(query, candidate_foods(query, index))
    if best is None or leaves_of_a_fruit(name, best):
        return FoodChoice(None, 0.0, f"no food matches {name!r}")
    return FoodChoice(best.id, confidence)


def match_food(name: str, *, hints: tuple[str, ...] = ()) -> FoodMatch:
    """choose_food with the food read (and its portions)."""
    choice = choose_food(name, hints=hints)
    food = load_food(choice.food_id) if choice.food_id is not None else None
    return FoodMatch(food, choice.confidence, choice.problem)


def choose_alternatives(name: str, *, hints: tuple[str, ...] = ()) -> FoodChoice:
    """The first alternative of the name that names a known food ("guanciale or bacon" -> bacon when no
    food is guanciale); the first alternative's failure when none does. Remembered with the food index
    (the same names recur across recipes; a change to the foods builds a new index)."""
    index = food_index()
    choices = index.choices
    key = (name, hints)
    if key not in choices:
        if len(choices) >= CHOICE_CACHE_SIZE:
            choices.clear()
        choices[key] = first_known_alternative(name, hints)
        if choices[key].food_id is None or ALTERNATIVE.search(name):
            choices[key] = spelt_choice(name, hints, index, choices[key])
    return choices[key]


def spelt_choice(name: str, hints: tuple[str, ...], index: FoodIndex, found: FoodChoice) -> FoodChoice:
    """The choice for a name whose first alternative no food matches as written, made again with its misspelt words
    corrected, a little less sure ("soy sause" is soy sauce, "White whine" white wine; "gerkins or ones" gherkins,
    not the FIBER ONE cereal its second alternative matched); `found`, the choice as written, when the first
    alternative names a food, no word is misspelt or the corrected name matches nothing either. Of a name some later
    alternative matched, only the first alternative is corrected, and taken only when it matches at least as surely."""
    alternatives = [part for part in ALTERNATIVE.split(name) if part.strip()] or [name]
    if found.food_id is not None and (len(alternatives) == 1
                                      or choose_food(sharing_the_head(alternatives), hints=hints).food_id is not None):
        return found
    spelt = corrected_name(name if found.food_id is None else alternatives[0], index.spelling_vocabulary)
    again = first_known_alternative(spelt, hints) if spelt is not None else found
    if again.food_id is None or again is found or again.confidence < found.confidence:  # "Mexican crema or sour
        return found  # cream": a cream cheese found for "Mexican cream" at 0.35 is no better than the sour cream
    return FoodChoice(again.food_id, round(again.confidence * SPELT_CONFIDENCE, 3), shop_as=again.shop_as)


def first_known_alternative(name: str, hints: tuple[str, ...]) -> FoodChoice:
    """The first alternative that names a food; else, for a name no alternative does, what it names before its
    first comma ("lemon, with a smooth thin rind." is a lemon)."""
    alternatives = [part for part in ALTERNATIVE.split(name) if part.strip()] or [name]
    first = choose_food(sharing_the_head(alternatives), hints=hints)
    for alternative in alternatives[1:]:
        if first.food_id is not None:
            break
        found = choose_food(alternative, hints=hints)
        if found.food_id is not None:
            return found
    head = name.split(",")[0]
    if first.food_id is None and head.strip() and head != name:
        found = choose_food(head, hints=hints)
        if found.food_id is not None:
            return found
    return first


def sharing_the_head(alternatives: list[str]) -> str:
    """The first alternative, with the head of the last when one word stands for its first: "lime or lemon juice" is
    lime juice and "chicken, or beef broth" chicken broth (when that is itself a curated name; "ghee or clarified
    butter" stays ghee)."""
    first, last = alternatives[0].strip(" ,").split(), alternatives[-1].split()
    if len(first) == 1 and len(last) >= 2:
        shared = " ".join([*first, *last[1:]])
        if " ".join(key_tokens(shared)) in synonyms():
            return shared
    return alternatives[0]
