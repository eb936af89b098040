"""`manage.py bench_planner --households`: the household planner (issue 11) on random households.

Each household has 2–5 members of mixed ages (children from 2 to 17 among them, their targets
from `mealplan.people.targets`), diets and allergens, some skipping weekday lunches (school or work).
Each member's own hard rules are read from the catalog as the recipes they may eat, the
household's candidates are every recipe some member may eat (`services.household_request`, as
"Plan my week" reads them), and `planning.household.plan_household` plans 7 days. Printed: median and p95 solve time,
the share of member-days with kcal within ±5 % of the member's target at home (and every macro
within ±10 %), the share of meals served as one shared dish where the members' rules allow one,
and the infeasible households with their explanations.
"""

import random
import statistics
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from meals.models import Allergen, Diet
from mealplan import services
from mealplan.models import Profile, SkippedMeal
from mealplan.people.slots import meal_types_for
from mealplan.people.targets import targets_for_profile
from mealplan.planning.household import APART_NOTE, Tables, member_day_totals, plan_household, recipes_needed

DAYS = 7
START = date(2026, 1, 5)  # a Monday
KCAL_BAND, MACRO_BAND = 0.05, 0.10


def random_member(household, number: int, rng: random.Random, diets, allergens, *, child: bool) -> Profile:
    sex = rng.choice(["female", "male"])
    if child:
        age = rng.randint(2, 17)
        height = int(85 + 5.5 * age + rng.randint(-5, 5))
        weight = Decimal(max(10, round(0.16 * height - 4 if age < 10 else 0.55 * height - 40)))
    else:
        age = rng.randint(18, 75)
        height = rng.randint(150, 180) + (10 if sex == "male" else 0)
        weight = Decimal(rng.randint(50, 110))
    profile = Profile.objects.create(
        household=household, name=f"{'child' if child else 'adult'}-{number}", sex=sex, age=age, height_cm=height,
        weight_kg=weight, activity_level=rng.choice(["sedentary", "light", "moderate", "active"]),
        goal="maintain" if child else rng.choice(["lose", "maintain", "maintain", "gain"]),
        diet=rng.choice([None, None, None, *diets]),
    )
    profile.excluded_allergens.set(rng.sample(allergens, rng.choice([0, 0, 0, 1, 2])))
    if rng.random() < (0.6 if child else 0.3):
        SkippedMeal.objects.bulk_create(SkippedMeal(member=profile, weekday=day, meal_type="lunch") for day in range(5))
    return profile


def random_household(number: int, rng: random.Random, diets, allergens) -> list[Profile]:
    first = random_member(None, number * 10, rng, diets, allergens, child=False)
    size = rng.randint(2, 5)
    adults = 1 + (rng.random() < 0.7)
    return [first, *(random_member(first.household, number * 10 + i, rng, diets, allergens, child=i >= adults)
                     for i in range(1, size))]


@dataclass(frozen=True)
class Outcome:
    seconds: float
    read_seconds: float
    size: int
    children: int
    member_days: list[tuple[bool, bool]]
    shared: int  # meals served as one dish where the rules allow one
    shareable: int  # meals where enough recipes suit every eater's rules for a week under the repeat limits
    shared_any: int  # meals served as one dish where some recipe suits every eater
    shareable_any: int  # meals where some recipe suits every eater's rules
    meals: int
    status: str
    reasons: tuple[str, ...]
    notes: tuple[str, ...]


def run_one(members: list[Profile], meals_per_day: int, time_limit: float) -> Outcome:
    tick = time.perf_counter()
    request = services.household_request(members, days=DAYS, slot_types=meal_types_for(meals_per_day), start_date=START)
    read = time.perf_counter() - tick
    tick = time.perf_counter()
    solution = plan_household(request, time_limit=time_limit)
    seconds = time.perf_counter() - tick
    member_days, shared, can_share, shared_any, can_share_any = [], 0, 0, 0, 0
    tables = Tables(request)
    if solution.found:
        totals = member_day_totals(request, solution.meals)
        for index, member in enumerate(request.members):
            for day in range(DAYS):
                target = request.home_targets(index, day)
                if target[0] <= 0:
                    continue
                off = np.abs(totals[member.member_id][day] / np.maximum(target, 1e-9) - 1)
                member_days.append((bool(off[0] <= KCAL_BAND), bool(np.all(off[1:] <= MACRO_BAND))))
        for (day, slot), dishes in solution.meals.items():
            common = tables.common(day, slot)
            if common >= recipes_needed(request.base, slot):
                can_share += 1
                shared += len(dishes) == 1
            if common:
                can_share_any += 1
                shared_any += len(dishes) == 1
    return Outcome(seconds=seconds, read_seconds=read, size=len(members),
                   children=sum(profile.age < 18 for profile in members), member_days=member_days, shared=shared,
                   shareable=can_share, shared_any=shared_any, shareable_any=can_share_any, meals=len(solution.meals),
                   status=solution.status, reasons=solution.reasons,
                   notes=solution.notes)


def describe(members: list[Profile]) -> str:
    return "; ".join(
        f"{p.display_name} {p.age}y {targets_for_profile(p).kcal} kcal {p.diet.slug if p.diet_id else 'omnivore'}"
        f"{''.join(f' -{a.slug}' for a in p.excluded_allergens.all())}"
        f"{' skips weekday lunch' if p.skipped_meals.exists() else ''}" for p in members)


def bench(stdout, count: int, rng: random.Random, *, time_limit: float, show: bool):
    """Plan `count` random households and print the figures (the caller rolls the data back)."""
    write = stdout.write
    diets, allergens = list(Diet.objects.all()), list(Allergen.objects.all())
    outcomes = []
    for number in range(count):
        members = random_household(number, rng, diets, allergens)
        meals_per_day = rng.choice([3, 4, 4, 5])
        outcome = run_one(members, meals_per_day, time_limit)
        outcomes.append((members, meals_per_day, outcome))
        if show:
            ok = sum(k for k, _ in outcome.member_days)
            write(f"  household {number}: {outcome.size} members ({outcome.children} children), {meals_per_day} meals, "
                  f"{outcome.seconds * 1000:.0f} ms, {outcome.status}, kcal ±5 % {ok}/{len(outcome.member_days)}, "
                  f"shared {outcome.shared}/{outcome.shareable}")
    report(write, [o for _, _, o in outcomes], time_limit)
    write("Households without a plan (infeasible, or no plan found in time), with the planner's reasons:")
    for members, meals_per_day, outcome in outcomes:
        if not outcome.meals:
            write(f"  {describe(members)} ({meals_per_day} meals): {' '.join(outcome.reasons)}")
    write("Second dishes (the plan's notes), first 10 households with one:")
    shown = 0
    for members, _, outcome in outcomes:
        split = [note for note in outcome.notes if " dishes on day" in note or note == APART_NOTE]
        if split and shown < 10:
            shown += 1
            write(f"  {describe(members)}: {' '.join(split)}")


def report(write, outcomes: list[Outcome], time_limit: float):
    ms = [o.seconds * 1000 for o in outcomes]
    reads = [o.read_seconds * 1000 for o in outcomes]
    found = [o for o in outcomes if o.meals]
    days = [d for o in found for d in o.member_days]
    kcal_ok = sum(k for k, _ in days) / max(len(days), 1)
    macros_ok = sum(m for _, m in days) / max(len(days), 1)
    both_ok = sum(k and m for k, m in days) / max(len(days), 1)
    shared, shareable = sum(o.shared for o in found), sum(o.shareable for o in found)
    sizes = statistics.Counter(o.size for o in outcomes)
    write(f"Households: {len(outcomes)} ({', '.join(f'{n} of {s} members' for s, n in sorted(sizes.items()))}; "
          f"{sum(o.children for o in outcomes)} children of {sum(o.size for o in outcomes)} members), {DAYS} days, "
          f"time limit {time_limit:g} s")
    write(f"Solve time (plan_household): median {np.median(ms):.0f} ms, p95 {np.percentile(ms, 95):.0f} ms, "
          f"max {max(ms):.0f} ms; reading the members' candidates: median {np.median(reads):.0f} ms")
    write(f"Status: {dict(statistics.Counter(o.status + ('' if o.meals else ', no plan') for o in outcomes))}")
    write(f"Member-days with kcal within ±5 % of the member's target at home: {kcal_ok:.1%}; every macro within "
          f"±10 %: {macros_ok:.1%}; both: {both_ok:.1%} ({len(days)} member-days)")
    shared_any, shareable_any = sum(o.shared_any for o in found), sum(o.shareable_any for o in found)
    write(f"Meals served as one shared dish where the members' rules allow one (enough recipes suit every eater, in a "
          f"portion within each one's energy band, for a week under the repeat limits): {shared}/{shareable} "
          f"({shared / max(shareable, 1):.1%}); where at least one recipe does: {shared_any}/{shareable_any} "
          f"({shared_any / max(shareable_any, 1):.1%}); meals where none does: "
          f"{sum(o.meals for o in found) - shareable_any}")
    checks = [
        (f"median solve ≤ 1 s: {np.median(ms):.0f} ms", np.median(ms) <= 1000),
        (f"p95 solve ≤ 3 s: {np.percentile(ms, 95):.0f} ms", np.percentile(ms, 95) <= 3000),
        (f"member-days kcal ±5 % ≥ 95 %: {kcal_ok:.1%}", kcal_ok >= 0.95),
        (f"one shared dish ≥ 90 % where rules allow: {shared / max(shareable, 1):.1%}",
         shared / max(shareable, 1) >= 0.9),
    ]
    write("Targets (issue 11):")
    for text, met in checks:
        write(f"  {'met' if met else 'NOT met'}: {text}")

