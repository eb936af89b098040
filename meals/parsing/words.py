"""Singular forms of the nouns in ingredient lines, yields and USDA descriptions, by inflect; the
numbers written in words that lines and yields use.

Trimming a final "s" turns "potatoes" into "potatoe" and "leaves" into "leave"; inflect
knows English plurals. It does not know that "molasses" or "asparagus" are not plurals
and that "us" is a word, so those are guarded here.
"""

from functools import lru_cache

import inflect

# Words ending in "s" that are not plurals (inflect would trim them) or whose plural is the food's name.
NOT_PLURALS = {"molasses", "swiss", "grits", "series", "species", "peas", "chives", "oats", "noodles", "brussels",
               "greens", "jus", "hummus"}
ENGINE = inflect.engine()
# Counts written as words ("two onions", "serves four"), as the digits the parsers read.
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}


@lru_cache(maxsize=65_536)
def singular(word: str) -> str:
    """"potatoes" -> "potato", "leaves" -> "leaf", "berries" -> "berry"; other words unchanged."""
    if len(word) <= 3 or word in NOT_PLURALS or word.endswith(("ss", "us", "is")) or not word.endswith("s"):
        return word
    return ENGINE.singular_noun(word) or word


@lru_cache(maxsize=4096)
def plural(word: str) -> str:
    """"leaf" -> "leaves", "clove" -> "cloves" (callers pass a singular noun)."""
    return ENGINE.plural_noun(word)
