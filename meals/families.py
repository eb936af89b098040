"""Dish families: the catalog's variants of one dish ("Bagel with cream cheese", "Bagels with
cream cheese #12") share a family, so the planner's repeat limits count them together.

A family is derived from the title alone, in code: its words, lower-cased, singular, without
variant numbers ("#12") and filler words, in any order. Pure: titles in, integers out.
"""

import re
import zlib

FILLER = frozenset({"a", "an", "and", "the", "with", "of", "in", "on", "for", "style", "easy", "quick", "simple",
                    "classic", "homemade", "my", "best"})


def title_stem(title: str) -> str:
    """'Bagels with Cream Cheese #12' → 'bagel cheese cream'."""
    words = {word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
             for word in re.findall(r"[a-z0-9]+", re.sub(r"#\s*\d+", " ", title.lower())) if word not in FILLER}
    return " ".join(sorted(words))


def family_id(title: str) -> int:
    """A stable integer per title stem (the same in every process, unlike `hash`)."""
    return zlib.crc32(title_stem(title).encode())
