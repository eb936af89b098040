"""Weekly rules a person writes on their profile, one a line, read into plain data (pure).

    at most 2 red meat dinners a week        at least 2 fish a week
    on Friday dinner is pizza                weekdays at most 30 minutes, weekends at most 90

What a rule counts is a main protein (derived from the ingredients, `meals.families`), "red meat"
(beef, pork, lamb) or "meat", or else a recipe tag; the form checks the tag exists. A rule is
stored as a dict (`Profile.weekly_rules`) and shown back in the words `describe` gives it.
"""

import re

from meals.families import MAIN_PROTEINS, NO_PROTEIN

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MEAL_TYPES = ("breakfast", "lunch", "dinner", "snack")
PROTEIN_GROUPS = {"red meat": ("beef", "pork", "lamb"), "meat": ("chicken", "beef", "pork", "lamb"),
                  "tofu": ("tofu/tempeh",), "tempeh": ("tofu/tempeh",), "egg": ("eggs",)}
NUMBERS = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
MAX_COUNT = 21
MAX_RULES = 12
MINUTES_RANGE = (5, 600)

_COUNT = r"(?P<count>\d+|" + "|".join(NUMBERS) + r")"
_MEAL = r"(?:\s+(?P<meal>" + "|".join(MEAL_TYPES) + r")e?s?)?"
COUNT_RULE = re.compile(rf"^(?P<kind>at most|at least)\s+{_COUNT}(?:\s+times)?\s+(?P<what>.+?){_MEAL}\s+(?:a|per|each)\s+week$")
DAY_RULE = re.compile(r"^on\s+(?P<day>" + "|".join(WEEKDAYS) + r")s?\s+(?P<meal>" + "|".join(MEAL_TYPES)
                      + r")\s+is\s+(?P<what>.+)$")
MINUTES_RULE = re.compile(r"^weekdays\s+at most\s+(?P<weekdays>\d+)(?:\s+min(?:ute)?s?)?\s*(?:,|and|;)?\s*"
                          r"weekends\s+at most\s+(?P<weekends>\d+)(?:\s+min(?:ute)?s?)?$")


class RuleError(ValueError):
    """A line that is not a rule, with a message saying what is accepted."""


def proteins_named(what: str) -> tuple[str, ...] | None:
    """The main proteins `what` names ("red meat" → beef, pork, lamb), or None for a tag."""
    what = what.strip().lower()
    if what in PROTEIN_GROUPS:
        return PROTEIN_GROUPS[what]
    singular = what[:-1] if what.endswith("s") and what[:-1] in MAIN_PROTEINS else what
    if singular in MAIN_PROTEINS and singular != NO_PROTEIN:
        return (singular,)
    return None


def _what(text: str) -> str:
    what = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    if not what:
        raise RuleError("Say what the rule counts: a main protein (chicken, red meat, fish …) or a recipe tag.")
    return what


def parse_rule(line: str) -> dict:
    """One line in words → the rule as a dict; RuleError when it is not one of the four forms."""
    text = re.sub(r"\s+", " ", line.strip().lower().rstrip("."))
    if match := COUNT_RULE.match(text):
        count = match["count"]
        count = NUMBERS[count] if count in NUMBERS else int(count)
        if not 0 <= count <= MAX_COUNT:
            raise RuleError(f"A weekly count is between 0 and {MAX_COUNT}.")
        what = _what(match["what"])
        if what in MEAL_TYPES or what.rstrip("s") in MEAL_TYPES:
            raise RuleError("Say what the rule counts before the meal: “at most 2 chicken dinners a week”.")
        return {"kind": match["kind"].replace(" ", "_"), "count": count, "what": what, "meal_type": match["meal"] or ""}
    if match := DAY_RULE.match(text):
        return {"kind": "on_day", "weekday": WEEKDAYS.index(match["day"]), "meal_type": match["meal"],
                "what": _what(match["what"])}
    if match := MINUTES_RULE.match(text):
        weekdays, weekends = int(match["weekdays"]), int(match["weekends"])
        low, high = MINUTES_RANGE
        if not (low <= weekdays <= high and low <= weekends <= high):
            raise RuleError(f"Cooking times are between {low} and {high} minutes.")
        return {"kind": "minutes", "weekdays": weekdays, "weekends": weekends}
    raise RuleError("Write it as “at most 2 red meat dinners a week”, “at least 2 fish a week”, "
                    "“on Friday dinner is pizza” or “weekdays at most 30 minutes, weekends at most 90”.")


def describe(rule: dict) -> str:
    """The rule in the words it is written in (what the form shows and explanations name)."""
    if rule["kind"] in ("at_most", "at_least"):
        meal = f" {rule['meal_type']}{'es' if rule['meal_type'] == 'lunch' else 's'}" if rule["meal_type"] else ""
        return f"{rule['kind'].replace('_', ' ')} {rule['count']} {rule['what']}{meal} a week"
    if rule["kind"] == "on_day":
        return f"on {WEEKDAYS[rule['weekday']].title()} {rule['meal_type']} is {rule['what']}"
    return f"weekdays at most {rule['weekdays']} minutes, weekends at most {rule['weekends']}"


def parse_rules(text: str) -> tuple[list[dict], list[str]]:
    """Every non-empty line → (rules, errors naming the lines that are not rules)."""
    rules, errors = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_RULES:
        return [], [f"At most {MAX_RULES} weekly rules."]
    for line in lines:
        try:
            rules.append(parse_rule(line))
        except RuleError as error:
            errors.append(f"“{line.strip()[:80]}”: {error}")
    if sum(rule["kind"] == "minutes" for rule in rules) > 1:
        errors.append("Give the weekday and weekend cooking times in one rule.")
    return rules, errors


BAND_LINE = re.compile(r"^(?P<meal>" + "|".join(MEAL_TYPES) + r")e?s?\s*:?\s*(?P<low>\d+)\s*(?:-|–|to)\s*(?P<high>\d+)\s*%?$")


def parse_bands(text: str) -> tuple[dict[str, list[int]], list[str]]:
    """Lines "breakfast 20-30" (per cent of the day's energy) → ({meal type: [low, high]}, errors)."""
    bands, errors = {}, []
    for line in (line for line in text.splitlines() if line.strip()):
        match = BAND_LINE.match(re.sub(r"\s+", " ", line.strip().lower()))
        if match is None:
            errors.append(f"“{line.strip()[:80]}”: write a meal and its share of the day, e.g. “breakfast 20-30”.")
            continue
        low, high = int(match["low"]), int(match["high"])
        if not 0 <= low < high <= 100:
            errors.append(f"“{line.strip()[:80]}”: the share goes from a lower to a higher per cent, at most 100.")
            continue
        bands[match["meal"]] = [low, high]
    return bands, errors


def describe_bands(bands: dict) -> str:
    """In meal order: PostgreSQL's jsonb keeps a dict's keys in its own order (shortest first)."""
    return "\n".join(f"{meal} {bands[meal][0]}-{bands[meal][1]}" for meal in MEAL_TYPES if meal in bands)
