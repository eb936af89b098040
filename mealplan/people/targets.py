"""Daily energy and macro targets for a person.

The arithmetic (Mifflin–St Jeor BMR, activity factor, goal adjustment,
macro split; for ages 2–17 the Dietary Reference Intakes' estimated energy
requirement, `eer_child`) is kept as pure functions on plain numbers so it can
be checked against worked examples; `targets_for_profile` only reads a Profile
into them. Nobody under 2 is planned for (`NotPlanned`).
"""

from dataclasses import dataclass

KCAL_PER_G_PROTEIN = 4
KCAL_PER_G_CARB = 4
KCAL_PER_G_FAT = 9

ACTIVITY_FACTORS = {
    "sedentary": 1.2,
    "light": 1.375,
    "moderate": 1.55,
    "active": 1.725,
    "very_active": 1.9,
}
GOAL_ADJUSTMENT_KCAL = {"lose": -500, "maintain": 0, "gain": 300}
# Below these intakes nutrient needs are hard to meet without medical supervision.
SAFE_KCAL_FLOOR = {"female": 1200, "male": 1500}
DEFAULT_MACRO_SPLIT = (25, 30, 45)  # % of energy: protein, fat, carbohydrate
# Ages 1–3 have their own acceptable ranges (IOM 2005: protein 5–20 %, fat 30–40 %, carbohydrate
# 45–65 %); from 4 the default split lies within them (10–30, 25–35, 45–65).
TODDLER_MACRO_SPLIT = (15, 35, 50)
TODDLER_MAX_AGE = 3
CHILD_MIN_AGE, ADULT_AGE = 2, 18
NOT_PLANNED_MESSAGE = ("Children under 2 are not planned: a baby's milk and first foods are best decided with "
                       "their pediatrician, not by a meal planner.")
# IOM 2005 physical-activity coefficients for ages 3–18 by sex, per PAL category (inactive,
# low active, active, very active); a category is the PAL range (upper bounds) that holds the
# activity level's factor above, so "light" (1.375) is IOM's inactive (PAL 1.0–1.4).
EER_PAL_CATEGORIES = ((1.4, 0), (1.6, 1), (1.9, 2), (2.5, 3))
EER_ACTIVITY_COEFFICIENTS = {"male": (1.00, 1.13, 1.26, 1.42), "female": (1.00, 1.16, 1.31, 1.56)}
MACRO_MISMATCH_TOLERANCE = 0.10
# Beyond this, targets cannot all be met at once: the profile refuses them.
MACRO_MISMATCH_REFUSAL = 0.15


@dataclass(frozen=True)
class Targets:
    """Per-person daily targets; `computed_kcal` is the formula's value before overrides and floor."""

    kcal: int
    protein_g: int
    fat_g: int
    carb_g: int
    computed_kcal: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyData:
    sex: str
    age: int
    height_cm: float
    weight_kg: float
    activity_level: str
    goal: str


@dataclass(frozen=True)
class TargetOverrides:
    kcal: int | None = None
    protein_g: int | None = None
    fat_g: int | None = None
    carb_g: int | None = None


def bmr_mifflin_st_jeor(*, sex: str, weight_kg: float, height_cm: float, age: int) -> float:
    """Resting energy in kcal/day (Mifflin et al. 1990)."""
    sex_constant = 5 if sex == "male" else -161
    return 10 * weight_kg + 6.25 * height_cm - 5 * age + sex_constant


class NotPlanned(ValueError):
    """A person the planner makes no targets for (under 2 years)."""


def eer_child(*, sex: str, age: int, height_cm: float, weight_kg: float, activity_level: str) -> float:
    """Estimated energy requirement in kcal/day for a child or teenager of 2–17 years.

    Institute of Medicine, Dietary Reference Intakes for Energy, Carbohydrate, Fiber, Fat,
    Fatty Acids, Cholesterol, Protein, and Amino Acids (National Academies Press, 2005),
    chapter 5, EER equations for normal-weight children: total energy expenditure plus the
    energy deposited in growth.
    - 13–35 months (age 2): (89 × weight − 100) + 20, whatever the activity.
    - boys 3–8:  88.5 − 61.9 × age + PA × (26.7 × weight + 903 × height in m) + 20;
      boys 9–18: the same + 25 instead of + 20.
    - girls 3–8: 135.3 − 30.8 × age + PA × (10.0 × weight + 934 × height in m) + 20;
      girls 9–18: the same + 25.
    PA is the coefficient of the activity level's PAL category (EER_ACTIVITY_COEFFICIENTS).
    """
    if age < CHILD_MIN_AGE:
        raise NotPlanned(NOT_PLANNED_MESSAGE)
    if age >= ADULT_AGE:
        raise ValueError(f"eer_child is for ages {CHILD_MIN_AGE}–{ADULT_AGE - 1}, not {age}: adults use Mifflin–St Jeor.")
    if age == CHILD_MIN_AGE:
        return 89 * weight_kg - 100 + 20
    pa = EER_ACTIVITY_COEFFICIENTS[sex][pal_category(activity_level)]
    growth = 20 if age <= 8 else 25
    height_m = height_cm / 100
    if sex == "male":
        return 88.5 - 61.9 * age + pa * (26.7 * weight_kg + 903 * height_m) + growth
    return 135.3 - 30.8 * age + pa * (10.0 * weight_kg + 934 * height_m) + growth


def pal_category(activity_level: str) -> int:
    """IOM's PAL category (0 inactive … 3 very active) holding the activity level's factor."""
    factor = ACTIVITY_FACTORS[activity_level]
    return next(category for upper, category in EER_PAL_CATEGORIES if factor < upper)


def total_energy_expenditure(bmr: float, activity_level: str) -> float:
    return bmr * ACTIVITY_FACTORS[activity_level]


def goal_adjusted_kcal(tdee: float, goal: str) -> float:
    return tdee + GOAL_ADJUSTMENT_KCAL[goal]


def macro_grams(kcal: float, split: tuple[int, int, int]) -> tuple[int, int, int]:
    """Grams of protein, fat, carbohydrate giving `split` % of `kcal`."""
    protein_pct, fat_pct, carb_pct = split
    return (
        round(kcal * protein_pct / 100 / KCAL_PER_G_PROTEIN),
        round(kcal * fat_pct / 100 / KCAL_PER_G_FAT),
        round(kcal * carb_pct / 100 / KCAL_PER_G_CARB),
    )


def compute_targets(
    body: BodyData,
    split: tuple[int, int, int] = DEFAULT_MACRO_SPLIT,
    overrides: TargetOverrides = TargetOverrides(),
) -> Targets:
    """Formula value, then the person's overrides, then the safety floor (with a warning).

    Under 18 the formula is the growth-inclusive `eer_child`, with no goal adjustment and no adult
    floor; under 2 it raises NotPlanned.
    """
    warnings = []
    if body.age < ADULT_AGE:
        computed = round(eer_child(sex=body.sex, age=body.age, height_cm=body.height_cm, weight_kg=body.weight_kg,
                                   activity_level=body.activity_level))
        if body.goal != "maintain":
            warnings.append("Weight goals are not applied under 18: the estimate is what a growing body needs. "
                            "Ask a doctor before changing it.")
    else:
        bmr = bmr_mifflin_st_jeor(sex=body.sex, weight_kg=body.weight_kg, height_cm=body.height_cm, age=body.age)
        computed = round(goal_adjusted_kcal(total_energy_expenditure(bmr, body.activity_level), body.goal))
    kcal = overrides.kcal or computed
    floor = SAFE_KCAL_FLOOR[body.sex]
    if body.age >= ADULT_AGE and kcal < floor:
        warnings.append(
            f"{kcal:,} kcal a day is below the safe minimum of {floor:,} kcal without medical supervision; "
            f"plans use {floor:,} kcal."
        )
        kcal = floor
    protein, fat, carb = macro_grams(kcal, split)
    protein = overrides.protein_g if overrides.protein_g is not None else protein
    fat = overrides.fat_g if overrides.fat_g is not None else fat
    carb = overrides.carb_g if overrides.carb_g is not None else carb
    energy = macro_kcal(protein, fat, carb)
    if abs(energy - kcal) > MACRO_MISMATCH_TOLERANCE * kcal:
        warnings.append(
            f"Your protein, fat and carbohydrate targets add up to {energy:,} kcal, "
            f"not the {kcal:,} kcal energy target; plans balance between them."
        )
    return Targets(kcal=kcal, protein_g=protein, fat_g=fat, carb_g=carb, computed_kcal=computed,
                   warnings=tuple(warnings))


def macro_kcal(protein_g: float, fat_g: float, carb_g: float) -> float:
    return protein_g * KCAL_PER_G_PROTEIN + fat_g * KCAL_PER_G_FAT + carb_g * KCAL_PER_G_CARB


def refusals(targets: Targets, overrides: TargetOverrides) -> dict[str | None, str]:
    """Why a person's own targets cannot be planned for, by override field (None: all of
    them); empty when they can. A macro of 0 g leaves a day no way to be balanced, and macros
    whose energy is far from the energy target mean no day can meet both."""
    problems = {}
    for name, label in (("protein_g", "protein"), ("fat_g", "fat"), ("carb_g", "carbohydrate")):
        if getattr(overrides, name) == 0:
            problems[name] = (f"A daily {label} target of 0 g cannot be planned for: every recipe has some. "
                              "Leave it empty to use the computed value.")
    energy = macro_kcal(targets.protein_g, targets.fat_g, targets.carb_g)
    if not problems and abs(energy - targets.kcal) > MACRO_MISMATCH_REFUSAL * targets.kcal:
        problems[None] = (
            f"Your protein, fat and carbohydrate targets add up to {energy:,.0f} kcal (4, 9 and 4 kcal a gram), "
            f"{abs(energy / targets.kcal - 1):.0%} away from your {targets.kcal:,} kcal energy target: no day can "
            f"meet both. Make them agree within {MACRO_MISMATCH_REFUSAL:.0%}, or leave them empty.")
    return problems


def macro_split_for_diet(diet, age: int = ADULT_AGE) -> tuple[int, int, int]:
    """A diet's own split (e.g. keto) when it defines one, else the default for the age."""
    if diet is not None and diet.protein_pct is not None:
        return (diet.protein_pct, diet.fat_pct, diet.carb_pct)
    return TODDLER_MACRO_SPLIT if age <= TODDLER_MAX_AGE else DEFAULT_MACRO_SPLIT


def targets_for_profile(profile) -> Targets:
    """The profile's targets; raises NotPlanned for a member under 2."""
    return compute_targets(body_of(profile), macro_split_for_diet(profile.diet, profile.age), overrides_of(profile))


def body_of(profile) -> BodyData:
    return BodyData(
        sex=profile.sex,
        age=profile.age,
        height_cm=float(profile.height_cm),
        weight_kg=float(profile.weight_kg),
        activity_level=profile.activity_level,
        goal=profile.goal,
    )


def overrides_of(profile) -> TargetOverrides:
    return TargetOverrides(
        kcal=profile.target_kcal,
        protein_g=profile.target_protein_g,
        fat_g=profile.target_fat_g,
        carb_g=profile.target_carb_g,
    )
