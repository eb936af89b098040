"""Catalog lines matched to a food that shares no word with them: the suspects of a wrong match.

    DATABASE_URL=... DEBUG=1 python bench/wrong_foods.py [CATALOG.jsonl] [--all]

Every distinct ingredient line of the catalog file is read as the import reads it (services.read_line: parse, then
choose the food by the matcher's own normalisation, food_scoring.tokens). A line is a suspect when the words that
name its food (key_tokens of the parsed name, less the describing words) share none with the chosen food's USDA name
and common names, nor with its stand-in's shopper words (`shop_as`); a curated choice (confidence 1.0) is listed
apart, since the synonyms table exists to join names that share no word ("courgette" is a zucchini). Also listed:
lines whose stand-in words (`shop_as`) share no word with the line's name (another line's words would be bought).
Nothing is written.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from meals.models import Food  # noqa: E402
from meals.nutrition.matching import food_index  # noqa: E402
from meals.nutrition.food_scoring import DESCRIPTIVE, key_tokens, singular, tokens  # noqa: E402
from meals.parsing.ingredients import IngredientLineError  # noqa: E402
from meals.services import read_line  # noqa: E402

CATALOG = Path(__file__).resolve().parent.parent / "meals" / "data" / "catalog" / "publicdomainrecipes.jsonl"


def content_words(text: str) -> set[str]:
    words = set(key_tokens(text)) - DESCRIPTIVE
    return words | {word[:-1] for word in words if word.endswith("s")} | {singular(word) for word in words}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("catalog", nargs="?", default=str(CATALOG))
    parser.add_argument("--all", action="store_true", help="list curated suspects too")
    args = parser.parse_args()
    lines = {}
    with open(args.catalog, encoding="utf-8") as handle:
        for row in handle:
            record = json.loads(row)
            for text in record["ingredients"]:
                lines.setdefault(text.strip(), record["source_id"])
    choices = {}
    for text in lines:
        try:
            choices[text] = read_line(text)
        except IngredientLineError:
            continue
    foods = Food.objects.in_bulk({choice.food_id for _parsed, choice in choices.values() if choice.food_id})
    index = food_index()
    searched, curated, stand_ins, partial = [], [], [], []
    for text, (parsed, choice) in sorted(choices.items()):
        if choice.food_id is None:
            continue
        food = foods[choice.food_id]
        wanted = content_words(parsed.name)
        have = set(tokens(f"{food.name} {food.common_names} {choice.shop_as}"))
        if wanted and not wanted & have:
            (curated if choice.confidence >= 1.0 else searched).append((text, parsed.name, food.name, choice))
        elif choice.confidence < 1.0:
            missing = {word for word in wanted - have if index.frequencies[word] and word in key_tokens(parsed.name)}
            if missing and len(missing) >= len(wanted & have):
                partial.append((text, parsed.name, food.name, choice, missing))
        if choice.shop_as and not content_words(choice.shop_as) & set(tokens(parsed.name)) | wanted & content_words(choice.shop_as):
            stand_ins.append((text, parsed.name, food.name, choice))
    print(f"distinct lines {len(lines)}, read {len(choices)}, matched {sum(c.food_id is not None for _p, c in choices.values())}")
    print(f"searched matches sharing no word with the line: {len(searched)}")
    for text, name, food, choice in searched:
        print(f"  {text!r:70} name={name!r} -> {food} ({choice.confidence})")
    print(f"searched matches missing as many known naming words of the line as they have: {len(partial)}")
    for text, name, food, choice, missing in partial:
        print(f"  {text!r:70} name={name!r} -> {food} ({choice.confidence}) lacks {sorted(missing)}")
    print(f"curated matches sharing no word with the line: {len(curated)}")
    for text, name, food, choice in curated if args.all else []:
        print(f"  {text!r:70} name={name!r} -> {food} shop_as={choice.shop_as!r}")
    print(f"stand-in words sharing no word with the line: {len(stand_ins)}")
    for text, name, food, choice in stand_ins:
        print(f"  {text!r:70} name={name!r} -> {food} shop_as={choice.shop_as!r}")


if __name__ == "__main__":
    main()
