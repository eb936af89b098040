"""Daily energy and macro targets for a person.

The arithmetic (Mifflin–St Jeor BMR, activity factor, goal adjustment,
macro split) is kept as pure functions on plain numbers so it can be checked
against worked examples; `targets_for_profile` only reads a Profile into them.
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
    """Formula value, then the person's overrides, then the safety floor (with a warning)."""
    bmr = bmr_mifflin_st_jeor(sex=body.sex, weight_kg=body.weight_kg, height_cm=body.height_cm, age=body.age)
    computed = round(goal_adjusted_kcal(total_energy_expenditure(bmr, body.activity_level), body.goal))
    kcal = overrides.kcal or computed
    warnings = []
    floor = SAFE_KCAL_FLOOR[body.sex]
    if kcal < floor:
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


def macro_split_for_diet(diet) -> tuple[int, int, int]:
    """A diet's own split (e.g. keto) when it defines one, else the default."""
    if diet is not None and diet.protein_pct is not None:
        return (diet.protein_pct, diet.fat_pct, diet.carb_pct)
    return DEFAULT_MACRO_SPLIT


def targets_for_profile(profile) -> Targets:
    return compute_targets(body_of(profile), macro_split_for_diet(profile.diet), overrides_of(profile))


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
