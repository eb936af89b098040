"""Spelling correction of an ingredient name against the words foods are named by.

A cook's misspelt word ("soy sause", "Sweet Pototoes", "White whine", "ckicken") is no word of any food, so the
matcher cannot use it, and when it is the head noun the line is left unmatched. The vocabulary is every word of the
food table's names and common names and of the curated names (meals/data/food_synonyms.csv), with how many foods use
each; a word outside it is replaced by the vocabulary word one edit away (two for a word of eight letters or more;
an edit is a letter added, dropped, changed or two swapped: rapidfuzz's optimal string alignment distance) that
starts with the same letter; of equally near words, one a letter added or dropped away before one with a letter
changed ("whine" is wine, not white), then the word more foods use. Words shorter than four
letters, with digits, or that the matcher ignores anyway ("chopped", "favorite") are never changed.

Only a name no food matches as written is corrected (see matching.choose_alternatives): a word outside the
vocabulary in a name that matches ("falukorv", "Boursin") is left as it is.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from meals.nutrition.food_scoring import DESCRIPTIVE, tokens

MIN_LENGTH = 4  # "fed", "oz", "tsp": too short to tell a misspelling from another word
LONG_WORD = 8  # from this length two edits are allowed ("mayonnese" -> mayonnaise; "harissa" is no harina)
LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # a word as written, accents kept ("za'atar" is one word)
# An English word is taken for a misspelling only of a word this many times more frequent in English ("whine" is
# wine, 70 times more frequent; "metal" skewers stay metal, though "meal" is a food's word).
ENGLISH_RATIO = 50
ENGLISH_WORDS = ("symspellpy", "frequency_dictionary_en_82_765.txt")  # SymSpell's English word frequencies


@dataclass(frozen=True)
class Vocabulary:
    """The words foods are named by, each with how many foods use it (the tie-break between equally near words),
    and grouped by their first letter (a misspelling keeps it)."""

    frequencies: Counter
    by_first_letter: dict[str, tuple[str, ...]]


def vocabulary(food_names, curated_names) -> Vocabulary:
    """The words of the foods' names (`food_names`: one text per food), each counted once per food, but for brands,
    which USDA writes in capitals ("GIRL SCOUTS", "KELLOGG SCOOBY-DOO!"), and the curated names' words (counted
    once when no food uses them: "ghee", "paneer")."""
    counts = Counter()
    for name in food_names:
        counts.update({word for written in LETTERS.findall(name) if not (written.isupper() and len(written) > 1)
                       for word in tokens(written)})
    for name in curated_names:
        for word in tokens(name):
            counts[word] = counts[word] or 1
    grouped: dict[str, list[str]] = {}
    for word in counts:
        grouped.setdefault(word[:1], []).append(word)
    return Vocabulary(counts, {letter: tuple(words) for letter, words in grouped.items()})


def max_edits(word: str) -> int:
    return 2 if len(word) >= LONG_WORD else 1


def correct_word(word: str, vocab: Vocabulary, written: str = "") -> str | None:
    """The vocabulary word `word` (a normalised word: see food_scoring.tokens) misspells, None when it is no
    misspelling of one (see the module's docstring); `written` is the word as the line writes it ("cassis", whose
    normalised "cassi" is no English word)."""
    if len(word) < MIN_LENGTH or not word.isalpha() or word in vocab.frequencies or word in DESCRIPTIVE:
        return None
    limit = max_edits(word)
    found = process.extract(word, vocab.by_first_letter.get(word[0], ()), scorer=OSA.distance, score_cutoff=limit,
                            limit=None)
    if not found:
        return None
    # Fewest edits; then a letter added or dropped before one changed ("whine" is wine, not white); then the word
    # more foods use.
    nearest = min(found, key=lambda hit: (hit[1], Indel.distance(word, hit[0]), -vocab.frequencies[hit[0]], hit[0]))[0]
    english = english_frequencies()
    if max(english.get(word, 0), english.get(written.lower(), 0)) * ENGLISH_RATIO > english.get(nearest, 0):  # a word of its own ("string", "metal")
        return None
    return nearest


@cache
def english_frequencies() -> dict[str, int]:
    """English word -> its count in SymSpell's frequency dictionary (82,765 words; read on the first correction)."""
    package, name = ENGLISH_WORDS
    with files(package).joinpath(name).open(encoding="utf-8") as handle:
        return {word: int(count) for word, count in (line.split() for line in handle if line.strip())}


def corrected_name(name: str, vocab: Vocabulary) -> str | None:
    """The name with each misspelt word replaced by the vocabulary word it misspells ("light soy sause" -> "light soy
    sauce"); None when no word is misspelt."""
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        written = tokens(match.group())
        if len(written) != 1:
            return match.group()
        correction = correct_word(written[0], vocab, match.group())
        if correction is None:
            return match.group()
        changed = True
        return correction

    spelt = LETTERS.sub(replace, name)
    return spelt if changed else None
