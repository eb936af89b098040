"""Pure ranking of USDA food descriptions against an ingredient name.

USDA descriptions read "Onions, raw" or "Beef, ground, 80% lean meat / 20%
fat, raw": the first comma-separated segment names the food, later segments
qualify it. A good match covers the ingredient's words, has its head noun
early, and adds few qualifiers the cook did not ask for, preferring the
plain raw entry over cooked, canned or restaurant versions.
"""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

WORD = re.compile(r"[a-z0-9%]+")
F_PLURALS = {"leaves": "leaf", "halves": "half", "loaves": "loaf", "calves": "calf", "knives": "knife"}
NO_SINGULAR = {"asparagus", "couscous", "hummus", "molasses", "swiss", "citrus", "grits", "bass", "series", "species",
               "cress", "watercress", "lemongrass", "peas", "chives", "oats", "noodles"}
# Words that describe how a cook handles a food, not which food it is.
IGNORABLE = {
    "freshly", "large", "small", "medium", "extra", "virgin", "organic", "finely", "coarsely", "roughly",
    "thinly", "chopped", "diced", "minced", "sliced", "grated", "shredded", "cubed", "packed", "softened",
    "melted", "cold", "warm", "hot", "room", "temperature", "boneless", "skinless", "peeled", "good", "quality",
    "best", "of", "and", "or", "a", "the", "for", "to", "taste", "about", "your", "favorite", "favourite", "optional",
    "lightly", "beaten", "trimmed", "halved", "quartered", "rinsed", "drained", "divided", "plus", "more", "serving",
    "garnish", "pure", "premium", "homemade", "store", "bought", "s", "x", "in", "very", "really",
    "fillet", "pod", "floret", "chunk", "piece", "wedge", "strip", "slice", "leaf", "sprig", "stalk", "half", "range",
    "mini",
    "pitted", "seeded", "deseeded", "stemmed", "cored", "deveined", "shelled", "puree", "cap", "link", "choice", "per",
    "tail",  # "lobster tails", "crawfish tail meat": the animal's meat, not a pig's tail
    "quarter",  # "chicken leg quarters" are legs
    "stem", "block",  # "watercress leaves and stems", "bologna block": parts and forms, like sprigs and chunks
    "separated",  # "eggs, separated" is how the eggs are used, never mechanically separated meat
}
# USDA files many foods under a class word ("Nuts, almonds", "Spices, cumin seed"): the
# food's own name is then the second segment.
CLASS_WORDS = {"nut", "spice", "seed", "cheese", "bean", "pepper", "fish", "crustacean", "mollusk", "cereal",
               "leavening", "agent", "candy", "snack", "beverage", "alcoholic", "sugar", "syrup", "vinegar"}
# Words that turn one food into another product ("almond" vs "almond oil", "olives" vs "olive loaf").
PRODUCT_WORDS = {"oil", "butter", "flour", "paste", "sauce", "soup", "spread", "juice", "milk", "cream", "powder",
                 "cookie", "cake", "bar", "chip", "cracker", "candy", "meatless", "imitation", "drink", "beverage",
                 "babyfood", "dressing", "muffin", "pie", "puree", "extract", "substitute", "mix", "gravy",
                 "skin", "giblet", "gizzard", "liver", "neck", "chocolate", "buttermilk", "loaf",
                 "sprouted"}  # sprouted lentils are no cooked lentils
COOKING_METHODS = {"boiled", "steamed", "roasted", "baked", "braised", "stewed", "broiled", "grilled", "fried",
                   "microwaved", "sauteed", "drained", "simmered", "heated"}
# "lite" is "light"; "crawfish" is USDA's crayfish; flaked coconut comes in flakes.
SPELLINGS = {"chilli": "chili", "chile": "chili", "yoghurt": "yogurt", "chilly": "chili", "chily": "chili", "lite": "light",
             "crawfish": "crayfish", "barbeque": "barbecue", "bbq": "barbecue", "flaked": "flake",
             "creme": "cream"}  # French spelling: sour creme, creme fraiche
# USDA's fat levels between regular and fat-free, which labels and cooks use for one another ("light mayonnaise",
# "low-fat mayonnaise", "Mayonnaise, reduced fat"); fold() writes "low-fat" and "reduced fat" as one word.
FAT_LEVELS = {"light", "lowfat", "reducedfat"}
# USDA's words for fat-free milk products: "Milk, nonfat", "Yogurt, plain, skim milk".
NO_FAT = {"nonfat", "skim"}
# "dry" and "dried" are one state to a cook ("dry lentils", "dried beans"); USDA writes both, and "desiccated".
DRIED = {"dry", "dried", "desiccated", "dehydrated"}
LEGUMES = {"bean", "pea", "peas", "lentil", "chickpea", "garbanzo", "gram", "soybean", "cowpea"}
HEAD_WEIGHT = 2.0
MIN_COVERAGE = 0.45
# Qualifiers USDA adds to the plain entry; they cost nothing.
PLAIN_QUALIFIERS = {"raw", "fresh", "plain", "regular", "whole", "all", "commercial", "variety", "varieties",
                    "include", "includes", "type", "types", "average", "year", "round", "salad", "cooking",
                    "commercially", "prepared", "mature", "seed", "unenriched", "enriched", "with", "without", "and",
                    "unprepared", "added", "vitamin", "a", "d", "milkfat", "fluid", "fortified", "ns", "as", "to"}
PROCESSED = {"cooked", "boiled", "fried", "roasted", "canned", "frozen", "dehydrated", "baked", "braised", "stewed",
             "microwaved", "broiled", "grilled", "steamed", "sweetened", "breaded", "battered", "pickled", "smoked",
             "cured", "drained", "solid", "liquid", "juice", "heated", "rehydrated", "toasted", "powder",
             "concentrate", "infant", "formula", "low", "reduced", "imitation", "substitute", "dry",
             "dried", "flake", "salted", "sauteed", "stir", "scrambled", "poached", "mashed", "glazed", "candied",
             "spread", "extract", "flavored", "seasoned", "solution", "fat", "free", "nonfat", "lowfat", "light", "lite"}
# The animals a meat or a broth is named by: a line naming one is never a food made of only others.
ANIMALS = {"beef", "pork", "lamb", "veal", "mutton", "goat", "venison", "bison", "chicken", "turkey", "duck"}
FLESH = ANIMALS | {"fish"}
# Preparation words that change which USDA entry is right ("cooked rice" is not raw rice).
STATE_WORDS = {"cooked", "canned", "frozen", "dried", "toasted", "roasted", "boiled", "fried", "grilled", "smoked"}
# Preparation-column words that pick a USDA entry -> the word USDA uses ("undrained" = "solids and liquids").
PREP_HINTS = {**{word: word for word in STATE_WORDS}, "farmed": "farmed", "wild": "wild", "undrained": "liquid",
              "skinless": "skinless", "boneless": "skinless", "minced": "ground", "ground": "ground"}
# Of those, the ones a raw entry contradicts ("dried beans" are USDA's raw mature seeds; frozen cranberries
# are raw cranberries where USDA has no frozen entry, not dried sweetened ones).
NOT_RAW = STATE_WORDS - {"dried", "frozen"}
SKIN_ON = re.compile(r"\b(?:skin[- ]on|with skin)\b")
BACKFAT = re.compile(r"\bback[\s-]+fat\b")  # USDA writes one word: "Pork, fresh, backfat, raw"
FIRE_ROASTED = re.compile(r"\bfire[\s-]+roasted\b")  # roasted over a flame: "fire-roasted diced tomatoes" are roasted
SHANK = re.compile(r"\b(fore|hind)-?shank\b")  # USDA writes "foreshank" and "fore-shank": both are a shank
LEAN_RATIO = re.compile(r"\b(\d{2})/(\d{1,2})\b")
FAT_LEVEL = re.compile(r"\b(low|non|reduced)[\s-]+fat\b")
# USDA's offal ("Lamb, variety meats and by-products, brain, raw"): chosen only when the line names the part.
OFFAL = re.compile(r"variety meats and by-products,", re.IGNORECASE)
# States a "fresh" food is not in.
PRESERVED = {"pickled", "cured", "smoked", "canned", "dried", "dehydrated", "salted"}
# A fresh food is in none of them, a frozen one is not dried or canned.
PRESERVED_OTHERWISE = {"fresh": PRESERVED, "frozen": {"dried", "dehydrated", "canned"}}
PERCENT_SLACK = 2
# What a food is made without is not one of its words ("Potatoes, mashed, dehydrated, flakes without milk",
# "Candies, coconut bar, not chocolate covered").
WITHOUT = re.compile(r"\b(?:without|not)\s+[\w-]+", re.IGNORECASE)
# Forms a cut of meat is sold in, named after the cut ("shoulder roast", "sirloin steak", "loin chops"): they say
# which piece, not which food.
MEAT_FORMS = {"roast", "steak", "chop", "cutlet"}
# What a food is free of is not one of its words either ("Syrups, sugar free" is no sugar).
FREE_OF = re.compile(r"\b[\w-]+[\s-]+free\b", re.IGNORECASE)
# What an entry is used for or diluted with is not what it is ("Margarine-like shortening, industrial, ..., principal
# use flaky pastries" is no pastry, "Orange juice, frozen concentrate, ..., diluted with 3 volume water" no water).
USE_CLAUSE = re.compile(r"\b(?:principal uses?|diluted with)\b.*", re.IGNORECASE)
BRAND = re.compile(r"\b[A-Z][A-Z'&]{2,}\b")
# Words that say how a food is, not which food it is: never enough to choose a food on their own.
DESCRIPTIVE = IGNORABLE | PLAIN_QUALIFIERS | PROCESSED | STATE_WORDS | {"thin", "thick", "chunky", "mealy", "floury", "waxy",
                                                                   "brewed", "strong", "hot", "bone",
                                                                   "condiment", "ground",
                                                                   "bit"}  # "a good bit of grease"
# Groups whose foods are dishes or products, not ingredients: chosen only when the line names every word
# the cook wrote (a "whiskey sour mix" is no "cake mix", "McDonald's hotcakes" no malt).
RESTRICTED_CATEGORIES = {"Baby Foods", "Fast Foods", "Restaurant Foods", "Meals, Entrees, and Side Dishes",
                         "American Indian/Alaska Native Foods", "Snacks", "Beverages"}
# Words that make a food a different product; a food carrying one the line does not say is never chosen.
FOREIGN_PRODUCTS = {"mix", "babyfood", "infant", "formula", "restaurant", "toddler", "junior", "strained"}
# Kinds of product that the words before them specify ("tom yum paste", "Maggi seasoning", "calamansi juice").
PRODUCT_KINDS = {"paste", "sauce", "soup", "spread", "powder", "extract", "mix", "drink", "dressing", "gravy",
                 "seasoning", "juice", "liqueur", "syrup", "candy", "bar", "chip", "cookie", "cake", "cracker",
                 "flavoring", "base"}
# Kinds whose products are alike enough that one stands in for another USDA lacks (a spice blend for "Greek
# seasoning", vanilla extract for almond extract, a fruit syrup for strawberry syrup, a coffee liqueur for an
# orange one: sugar and spirit).
ALIKE_KINDS = {"seasoning", "extract", "syrup", "liqueur"}
ALCOHOLIC = re.compile(r"alcoholic beverage\b", re.IGNORECASE)  # SR28's wines, beers, spirits and liqueurs
# A line naming one of these asks for a drink: only then is an alcoholic beverage a plain ingredient ("sour creme" is no
# creme de menthe)
DRINK_WORDS = {"wine", "beer", "ale", "lager", "stout", "cider", "rum", "whiskey", "whisky", "bourbon", "scotch", "vodka",
               "gin", "brandy", "cognac", "sherry", "marsala", "port", "vermouth", "liqueur", "sake", "tequila", "spirit",
               "schnapps", "kirsch", "pisco", "grappa", "amaretto", "madeira"}
SPICES = "Spices and Herbs"
EXCLUDED = 6.0
UNLIKELY = 2.0
# USDA gives each meat cut as "separable lean and fat" (with the fat cap it is sold with) and "separable lean
# only" (after the visible fat is cut away, by the cook or on the plate). A line that does not ask for the fat
# means the trimmed cut; "all grades" is USDA's average of the grades a cook does not name (choice, select).
TRIMMED_CUT_BONUS = 0.3
ALL_GRADES_BONUS = 0.15
# USDA's imported meats ("Beef, New Zealand, imported, ...", "Lamb, Australian, imported, ..."): a cut a line names
# without its origin is the domestic one a store sells by that name (USDA's own entries of it), when USDA has one.
IMPORTED = "imported"
ORIGIN_WORDS = {IMPORTED, "zealand", "australian", "australia"}
IMPORTED_PENALTY = 1.0
# The first parts of a hyphenated name ("Sugar-apples", "Custard-apple", "Rose-apples"): the food is the last part, so
# the first names no food a line's head could be ("palm sugar" is no sugar-apple).
COMPOUND_FIRST = re.compile(r"\b[\w']+-(?=[\w'])")
# The parts a whole cut is made of ("Lamb, domestic, leg, whole (shank and sirloin)", "shoulder, whole (arm and
# blade)"): what the whole is, not a part the line did not ask for ("lamb shoulder" is the whole shoulder, not the arm).
WHOLE_PARTS = re.compile(r"\bwhole\s*\([^)]*\)", re.IGNORECASE)


@dataclass(frozen=True)
class FoodCandidate:
    id: int
    name: str
    category: str = ""
    common_names: str = ""
    is_sr_legacy: bool = True


def singular(word: str) -> str:
    if word in NO_SINGULAR or len(word) <= 3 or word.endswith(("ss", "us")):
        return word
    if word in F_PLURALS:
        return F_PLURALS[word]
    for ending, replacement in (("ies", "y"), ("oes", "o"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("s", "")):
        if word.endswith(ending):
            return word[: -len(ending)] + replacement
    return word


def fold(text: str) -> str:
    """Lowercase ASCII in USDA's spelling: "Low-fat Jalapeño" -> "lowfat jalapeno",
    "90/10 beef" -> "90% lean meat 10% fat beef", "skin-on" -> "meat and skin", "pork back fat" -> "pork backfat",
    "fire-roasted" -> "roasted", "foreshank" -> "fore shank"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ascii_text = BACKFAT.sub("backfat", SKIN_ON.sub("meat and skin", FIRE_ROASTED.sub("roasted", ascii_text)))
    ascii_text = SHANK.sub(r"\1 shank", ascii_text)
    return LEAN_RATIO.sub(lean_ratio, FAT_LEVEL.sub(r"\1fat", ascii_text))


def lean_ratio(match: re.Match) -> str:
    lean, fat = match.groups()
    return f"{lean}% lean meat {fat}% fat" if int(lean) + int(fat) == 100 else match.group()


@lru_cache(maxsize=65_536)
def tokens(text: str) -> tuple[str, ...]:
    """Normalised words; cached because the same USDA names are scored again and again."""
    words = (singular(word) for word in WORD.findall(fold(text)))
    return tuple(SPELLINGS.get(word, word) for word in words)


@dataclass(frozen=True)
class Query:
    """An ingredient name as weighted words; words no food uses are dropped (they cannot help)."""

    words: tuple[str, ...]
    weights: dict

    @classmethod
    def build(cls, words: list[str], frequencies: Counter, total: int) -> "Query":
        known = [word for word in dict.fromkeys(words) if frequencies[word]]
        weights = {word: math.log(1 + total / frequencies[word]) for word in known}
        if known:
            weights[known[-1]] *= HEAD_WEIGHT
        return cls(tuple(known), weights)

    @property
    def head(self) -> str:
        return self.words[-1]


def key_tokens(text: str) -> list[str]:
    """The words that say which food it is (all words if nothing else is left)."""
    words = tokens(text)
    return [word for word in words if word not in IGNORABLE] or list(words)


def dried_words(words: set[str], legume: bool = True) -> set[str]:
    """A food's words with "dry" and "dried" where USDA says so in other words: dried legumes are raw "mature seeds"
    (for a line that names a legume: "dried cranberries" are no cranberry beans), dried coconut is "desiccated"."""
    return words | DRIED if words & DRIED or (legume and {"mature", "raw"} <= words) else words


def stated_words(words: set[str]) -> set[str]:
    """dried_words, one fat level between regular and fat-free standing for the others (among the entries of one food
    only: a "light" coconut milk is no light milk), and USDA's words for no fat standing for one another ("nonfat plain
    yogurt" is "Yogurt, plain, skim milk", not the Greek one whose name says nonfat)."""
    found = dried_words(set(words))
    found = found | FAT_LEVELS if found & FAT_LEVELS else found
    return found | NO_FAT if found & NO_FAT else found


def near_percents(wanted: set[str], food_words: set[str]) -> set[str]:
    """The line's lean shares that USDA gives rounded otherwise ("94%" lean is USDA's 93 % or 95 % entry)."""
    shares = [int(word[:-1]) for word in food_words if word[:-1].isdigit() and word.endswith("%")]
    return {word for word in wanted if word[:-1].isdigit() and word.endswith("%")
            and any(abs(int(word[:-1]) - share) <= PERCENT_SLACK for share in shares)}


def contradicted(wanted: set[str], food_words: set[str]) -> bool:
    """The line says un-X and the food is X ("unsweetened coconut cream" is no sweetened cream, "unsmoked ham" no
    smoked ham), it says fresh or frozen and the food is preserved otherwise ("frozen berries" are not dried), or it
    names an animal and the food only others ("condensed beef broth" is no fish broth)."""
    negated = {word[2:] for word in wanted if word.startswith("un")}
    named, made_of = wanted & FLESH, food_words & FLESH
    return (bool(negated & food_words) or bool(named and made_of and not named & made_of)
            or any(bool(food_words & PRESERVED_OTHERWISE[state]) for state in wanted & PRESERVED_OTHERWISE.keys()))


def specifiers(query: Query) -> set[str]:
    """The words that say which product a product-kind head is ("red curry" paste, "almond" extract)."""
    return set(query.words) - {query.head} - DESCRIPTIVE - PRODUCT_KINDS - CLASS_WORDS


def wrong_product(query: Query, food: FoodCandidate) -> bool:
    """True for a product of the line's kind that is another product ("red curry paste" is no almond paste,
    "almond extract" no vanilla extract): a product-kind head with known words for which product needs a food
    that has one of them."""
    if query.head not in PRODUCT_KINDS - ALIKE_KINDS:
        return False
    wanted = specifiers(query)
    food_words = set(tokens(WITHOUT.sub("", f"{food.name} {food.common_names}")))
    # a class word of the line that the product has says which it is too ("Asian fish sauce" is fish sauce)
    return bool(wanted) and not (wanted | (set(query.words) & CLASS_WORDS - {query.head})) & food_words


def coverage(query: Query, food_words: set[str]) -> float:
    total = sum(query.weights.values())
    return sum(weight for word, weight in query.weights.items() if word in food_words) / total


@lru_cache(maxsize=65_536)
def name_words(name: str) -> tuple[tuple[frozenset, ...], frozenset, frozenset]:
    """A USDA name's words by comma-separated segment (a use clause left out), the words of its first segment that
    can be its head (COMPOUND_FIRST), and the words that say what it is (WITHOUT, WHOLE_PARTS): cached, because the
    same names are scored again and again."""
    unused = USE_CLAUSE.sub("", name)
    segments = tuple(frozenset(tokens(segment)) for segment in unused.split(","))
    head = frozenset(tokens(COMPOUND_FIRST.sub(" ", unused.split(",")[0])))
    return segments, head, frozenset(tokens(WITHOUT.sub("", WHOLE_PARTS.sub("whole", name))))


def score(query: Query, food: FoodCandidate) -> float:
    """Higher is better: weighted word coverage, head noun early, few unrequested qualifiers."""
    wanted = set(query.words)
    segments, head_segment, named = name_words(food.name)
    food_words = set().union(*segments)
    covered = dried_words(food_words, legume=bool(wanted & LEGUMES)) | near_percents(wanted, food_words)
    result = 4.0 * coverage(query, covered | set(tokens(food.common_names)))
    name_segment = segments[0]
    if segments[0] <= CLASS_WORDS and len(segments) > 1:  # "Spices, pepper, black", but also "Peppers, sweet, red"
        name_segment = (segments[0] | segments[1]) - (CLASS_WORDS - wanted)
        head_segment = name_segment
    if query.head in head_segment or (head_segment & wanted and query.head in food_words
                                      and query.head not in PRODUCT_WORDS):
        result += 1.0  # "Chicken, broilers or fryers, breast" names a breast too, but "Seeds, sunflower seed kernels,
        # oil roasted" is no sunflower oil
    if name_segment <= wanted:
        result += 0.5
    extra = set(named) - wanted - PLAIN_QUALIFIERS - CLASS_WORDS
    if "cooked" in wanted:
        extra -= COOKING_METHODS
    processed = extra & PROCESSED
    result -= 0.1 * len(extra - PROCESSED) + 0.4 * min(len(processed), 4) + 1.5 * len(extra & PRODUCT_WORDS)
    if "raw" in food_words:
        result += -1.0 if wanted & NOT_RAW else 0.5
    all_words = food_words | set(tokens(food.common_names))
    # named in full: possible, but a plain ingredient still wins (wine, spirits and liqueurs are cooks' ingredients:
    # "red table wine" is no vinegar)
    if food.category in RESTRICTED_CATEGORIES and not (ALCOHOLIC.match(food.name) and wanted & DRINK_WORDS):
        result -= UNLIKELY if wanted - DESCRIPTIVE <= all_words else EXCLUDED
    if (food_words & FOREIGN_PRODUCTS) - wanted and food.category != SPICES:  # a seasoning mix is a seasoning
        result -= EXCLUDED
    if {"separable", "lean", "only"} <= food_words and "fat" not in wanted:
        result += TRIMMED_CUT_BONUS
    if "grade" in food_words:
        result += ALL_GRADES_BONUS
    if IMPORTED in food_words and not wanted & ORIGIN_WORDS:
        result -= IMPORTED_PENALTY
    if contradicted(wanted, set(tokens(WITHOUT.sub("", food.name)))):
        result -= EXCLUDED
    if OFFAL.search(food.name) and not set(tokens(OFFAL.split(food.name)[-1])) & wanted:
        result -= EXCLUDED  # "lamb stew meat" is no "Lamb, variety meats and by-products, brain"
    if BRAND.search(food.name):  # a brand's product only for a line that names all it is ("plain kefir")
        result -= 1.5 if wanted - DESCRIPTIVE <= all_words else EXCLUDED
    if food.is_sr_legacy:
        result += 0.3
    return result


def best_match(query: Query, candidates: list[FoodCandidate]) -> tuple[FoodCandidate | None, float]:
    """(best food, confidence 0..1); none when no food covers enough of the (weighted) words.

    A food that covers too little of the line, or scores nothing, is never chosen, nor hides one that does ("light
    rum" is rum, not light turkey meat); below the best score, not another product ("lemon, with a smooth thin rind"
    is no ladyfinger with lemon rind)."""
    if not query.words:
        return None, 0.0
    scored = sorted(((score(query, food), food) for food in candidates if not wrong_product(query, food)),
                    key=itemgetter(0), reverse=True)
    best = scored[0][0] if scored else 0.0
    for value, group in groupby(scored, key=itemgetter(0)):
        if value <= 0:
            break
        # among equal scores the food that covers more of the line, then the shortest name ("crawfish meat" is
        # crayfish, not coconut meat)
        eligible = [(share, food) for _value, food in group
                    if (share := name_coverage(query, food)) >= MIN_COVERAGE and names_the_food(query, food)
                    and not another_food_in_that_form(query, food)
                    and (value == best or not another_product(query, food))]
        if eligible:
            share, food = max(eligible, key=lambda found: (found[0], -len(found[1].name)))
            return food, round(share * min(1.0, value / 6.0) ** 0.5, 3)
    return None, 0.0


def another_product(query: Query, food: FoodCandidate) -> bool:
    """The food is a product the line does not name (a seasoning mix is a seasoning)."""
    made = set(tokens(WITHOUT.sub("", food.name))) & PRODUCT_WORDS
    return food.category != SPICES and bool(made - set(query.words))


def another_food_in_that_form(query: Query, food: FoodCandidate) -> bool:
    """The food shares only the line's head, a form many foods come in, while the line's other words say which food
    and the food's own name says another ("garlic pearls" are no tapioca pearls, "pizza dough" no phyllo dough,
    "mineral water" no coconut water, "popcorn kernels" no safflower seed kernels, "Yellow Curry (mild ...)" no mild
    sausage). A food named by the head alone is the line's food with a qualifier USDA lacks ("baby tomatoes" are
    tomatoes, "sweet paprika" paprika, "Sugar free ketchup" catsup: what a name is free of is not one of its words),
    and alike products stand in for one another ("Old Bay seasoning" is a seasoning)."""
    if query.head in ALIKE_KINDS:
        return False
    free_of = {word for word, after in zip(query.words, query.words[1:]) if after == "free"}
    food_words = set(tokens(f"{FREE_OF.sub('', WITHOUT.sub('', food.name))} {food.common_names}"))
    if not (set(query.words) - DESCRIPTIVE - free_of) & food_words:  # it has the line's words only as what it is
        return True  # free of ("Syrups, sugar free" is no sugar, nor a sugar-free ketchup)
    naming = set(query.words) - DESCRIPTIVE - {query.head} - free_of - MEAT_FORMS  # a "rump roast" is a rump
    if not naming or naming & food_words:
        return False
    segments, _head, _named = name_words(food.name)
    if segments[0] <= CLASS_WORDS and len(segments) > 1:  # "Sugars, brown" is a kind of the line's "palm sugar";
        if query.head in segments[0]:  # "Seeds, safflower seed kernels" no "popcorn kernels"
            return False
        own = segments[0] | segments[1]
    else:
        own = segments[0]
    return bool(own - set(query.words) - DESCRIPTIVE - PLAIN_QUALIFIERS - CLASS_WORDS - PRODUCT_KINDS)


def names_the_food(query: Query, food: FoodCandidate) -> bool:
    """The food has a word of the line that says which food it is, not only how it is ("seasoned salt" is no
    seasoned croutons)."""
    naming = set(query.words) - (DESCRIPTIVE - ALIKE_KINDS)  # an extract names a food alike ("lemon extract")
    return not naming or bool(naming & set(tokens(f"{food.name} {food.common_names}")))


def name_coverage(query: Query, food: FoodCandidate) -> float:
    words = set(tokens(f"{USE_CLAUSE.sub('', food.name)} {food.common_names}"))
    return coverage(query, words | near_percents(set(query.words), words))
