"""The recipe catalog and the food-composition data behind it."""

from decimal import Decimal
from pathlib import PurePath
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from meals.families import family_id
from meals.nutrition.allergens import validate_allergen_slugs, validate_diet_facts


def nutrient_field(label: str, unit: str) -> models.FloatField:
    """Nullable: USDA's "no row" means *no data*, which is not zero."""
    return models.FloatField(
        f"{label} ({unit})", null=True, blank=True, validators=[MinValueValidator(0)]
    )


class MealType(models.TextChoices):
    BREAKFAST = "breakfast", "Breakfast"
    LUNCH = "lunch", "Lunch"
    DINNER = "dinner", "Dinner"
    SNACK = "snack", "Snack"


class FoodSource(models.TextChoices):
    SR28 = "sr28", "USDA SR28 / SR Legacy (NDB number)"
    FDC = "fdc", "USDA FoodData Central (fdc_id)"
    CUSTOM = "custom", "Entered by staff"


class Food(models.Model):
    """One food-composition entry, nutrients per 100 g of edible portion."""

    source = models.CharField(max_length=10, choices=FoodSource.choices, default=FoodSource.SR28)
    source_id = models.CharField(
        max_length=20, help_text="NDB number for SR28 (keep the leading zero), fdc_id for FDC."
    )
    name = models.CharField(max_length=255, db_index=True)
    category = models.CharField(max_length=100, blank=True, db_index=True)
    common_names = models.CharField(max_length=255, blank=True)
    is_sr_legacy = models.BooleanField(default=True)

    energy_kcal = nutrient_field("Energy", "kcal")
    protein_g = nutrient_field("Protein", "g")
    fat_g = nutrient_field("Fat", "g")
    saturated_fat_g = nutrient_field("Saturated fat", "g")
    carbohydrate_g = nutrient_field("Carbohydrate", "g")
    fiber_g = nutrient_field("Fiber", "g")
    sugars_g = nutrient_field("Sugars", "g")
    sodium_mg = nutrient_field("Sodium", "mg")
    cholesterol_mg = nutrient_field("Cholesterol", "mg")
    potassium_mg = nutrient_field("Potassium", "mg")
    calcium_mg = nutrient_field("Calcium", "mg")
    iron_mg = nutrient_field("Iron", "mg")
    vitamin_c_mg = nutrient_field("Vitamin C", "mg")
    vitamin_d_ug = nutrient_field("Vitamin D", "µg")

    density_g_per_ml = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
        help_text="Optional, for volume measures the food has no USDA portion for.",
    )
    price_per_kg = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Derived by meals.nutrition.allergens from the rule table at import time: sorted slugs, space-separated.
    allergen_slugs = models.CharField(
        "allergens", max_length=200, blank=True, validators=[validate_allergen_slugs],
        help_text="EU allergen slugs, e.g. \"gluten milk\".",
    )
    diet_facts = models.CharField(
        max_length=100, blank=True, validators=[validate_diet_facts],
        help_text="What diets care about: meat fish shellfish dairy egg honey alcohol.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="food_unique_source_id"),
        ]

    def __str__(self):
        return self.name


class FoodPortion(models.Model):
    """A household measure of a food and what it weighs ("1 cup, chopped" = 160 g)."""

    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="portions")
    seq = models.PositiveSmallIntegerField(default=1)
    amount = models.FloatField(default=1, validators=[MinValueValidator(0)])
    measure = models.CharField(max_length=120, help_text='Unit and modifier, e.g. "cup, chopped".')
    gram_weight = models.FloatField(validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["food", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["food", "seq"], name="portion_unique_seq"),
            models.CheckConstraint(condition=Q(gram_weight__gte=0), name="portion_grams_non_negative"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="portion_amount_positive"),
        ]

    def __str__(self):
        return f"{self.description} ({self.gram_weight:g} g)"

    @property
    def description(self) -> str:
        return f"{self.amount:g} {self.measure}"

    @property
    def grams_per_unit(self) -> float:
        return self.gram_weight / self.amount


class NamedSlugModel(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Diet(NamedSlugModel):
    """A dietary pattern a recipe can satisfy (vegetarian, vegan, keto …).

    Optional macro split (% of energy) overrides the default split for people
    following this diet, e.g. keto's low carbohydrate share.
    """

    description = models.TextField(blank=True)
    protein_pct = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    fat_pct = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    carb_pct = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])

    class Meta(NamedSlugModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(protein_pct__isnull=True)
                | Q(protein_pct__isnull=False, fat_pct__isnull=False, carb_pct__isnull=False),
                name="diet_macro_split_complete",
            ),
        ]


class Allergen(NamedSlugModel):
    pass


class Tag(NamedSlugModel):
    pass


class RecipeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def plannable_for(self, owner_id: int | None):
        """The published catalog plus `owner_id`'s own recipes (never anybody else's)."""
        if owner_id is None:
            return self.published()
        return self.filter(Q(is_published=True) | Q(owner_id=owner_id))

    def for_meal_type(self, meal_type: str):
        return self.filter(**{f"is_{meal_type}": True})

    def free_of(self, allergens):
        """Recipes safe for someone avoiding `allergens`: none of them, and no line of unknown food."""
        return self.exclude(allergens__in=allergens).filter(allergens_unknown=False)


def recipe_picture_path(recipe, filename: str) -> str:
    """A name nobody can guess or clash with: own recipes are private, their pictures too."""
    return f"recipes/{uuid4().hex}.jpg"


class Recipe(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    instructions = models.TextField(blank=True, help_text="One step per line.")
    servings = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    servings_uncertain = models.BooleanField(
        default=False, help_text="The source did not say how many servings: check and untick.",
    )
    prep_minutes = models.PositiveSmallIntegerField(default=0)
    cook_minutes = models.PositiveSmallIntegerField(default=0)

    is_breakfast = models.BooleanField("breakfast", default=False, db_index=True)
    is_lunch = models.BooleanField("lunch", default=False, db_index=True)
    is_dinner = models.BooleanField("dinner", default=False, db_index=True)
    is_snack = models.BooleanField("snack", default=False, db_index=True)

    tags = models.ManyToManyField(Tag, blank=True, related_name="recipes")
    diets = models.ManyToManyField(Diet, blank=True, related_name="recipes", help_text="Diets this recipe satisfies.")
    allergens = models.ManyToManyField(
        Allergen, blank=True, related_name="recipes",
        help_text="Allergens it contains: those of its foods plus the ones added by hand.",
    )
    added_allergens = models.ManyToManyField(
        Allergen, blank=True, related_name="recipes_added_to",
        help_text="Allergens staff know of that the ingredients do not show (e.g. a brand's recipe).",
    )
    allergens_unknown = models.BooleanField(
        default=False, db_index=True,
        help_text="Some ingredient line has no food, so the recipe could contain anything.",
    )
    diet_facts = models.CharField(max_length=100, blank=True, help_text="meat fish shellfish dairy egg honey alcohol")
    # Derived from the lines (meals.families): the source of most of its protein, and the dish
    # family (title stem + main protein) the planner's repeat limits count its variants in.
    main_protein = models.CharField(max_length=20, blank=True, default="none", editable=False)
    dish_family = models.BigIntegerField(default=0, editable=False)

    cost_per_serving = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    image_url = models.URLField(max_length=500, blank=True)
    # A person's own picture of their own recipe (meals.pictures re-encodes it; served by own_recipe_picture;
    # the pages show every picture in a 4:3 box, so its size is not stored).
    picture = models.ImageField(upload_to=recipe_picture_path, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    # Where an imported recipe came from: `import_catalog` finds it again by (source, source_id).
    source = models.CharField(max_length=40, blank=True, help_text='Catalog it was imported from, e.g. "publicdomainrecipes".')
    source_id = models.CharField(max_length=100, blank=True, help_text="Its id in that catalog.")
    source_digest = models.CharField(max_length=64, blank=True, editable=False,
                                     help_text="Digest of the imported record; an unchanged record is not re-imported.")
    attribution = models.CharField(max_length=300, blank=True)
    license = models.CharField(max_length=300, blank=True)
    needs_review = models.BooleanField(
        default=False, db_index=True, help_text="The import could not decide everything; see the review notes."
    )
    review_notes = models.TextField(blank=True, help_text="What the import decided by rule, or could not decide.")
    is_published = models.BooleanField("published", default=False, db_index=True)
    # A person's own recipe: private to them (never published), planned only for them.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="own_recipes", help_text="Set for a person's own recipe; empty for the catalog.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Per-serving nutrition, denormalised from the ingredients by
    # meals.services.recompute_recipe_nutrition so lists and the planner read it directly.
    energy_kcal = models.FloatField("Energy (kcal)", default=0)
    protein_g = models.FloatField("Protein (g)", default=0)
    fat_g = models.FloatField("Fat (g)", default=0)
    saturated_fat_g = models.FloatField("Saturated fat (g)", default=0)
    carbohydrate_g = models.FloatField("Carbohydrate (g)", default=0)
    fiber_g = models.FloatField("Fiber (g)", default=0)
    sugars_g = models.FloatField("Sugars (g)", default=0)
    sodium_mg = models.FloatField("Sodium (mg)", default=0)
    nutrition_coverage = models.FloatField(
        default=0, help_text="Share of ingredient lines resolved to grams (0–1)."
    )
    # Mass of one serving (the resolved lines' grams / servings; 0: not known): the planner keeps a
    # meal under its meal type's ceiling (mealplan.planning.rules.MealMassRule).
    grams_per_serving = models.FloatField(default=0, editable=False)
    nutrition_updated_at = models.DateTimeField(null=True, blank=True)

    objects = RecipeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(servings__gt=0), name="recipe_servings_positive"),
            models.CheckConstraint(condition=Q(cost_per_serving__gte=0), name="recipe_cost_non_negative"),
            models.UniqueConstraint(fields=["source", "source_id"], condition=~Q(source=""),
                                    name="recipe_unique_source_id"),
            models.CheckConstraint(condition=Q(owner__isnull=True) | Q(is_published=False),
                                   name="recipe_own_is_private"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.dish_family = family_id(self.title, self.main_protein)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "main_protein"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "dish_family"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.owner_id is not None:
            return reverse("own-recipe-detail", kwargs={"pk": self.pk})
        return reverse("recipe-detail", kwargs={"slug": self.slug})

    @property
    def picture_url(self) -> str:
        """The image to show: an own recipe's uploaded picture (through its owner-only page, the file's
        name in the query so a new picture is a new address), else an https image on a host the CSP
        allows (settings.RECIPE_IMAGE_HOSTS)."""
        if self.picture and self.owner_id is not None:
            version = PurePath(self.picture.name).stem
            return f"{reverse('own-recipe-picture', kwargs={'pk': self.pk})}?v={version}"
        parts = urlsplit(self.image_url)
        return self.image_url if parts.scheme == "https" and parts.hostname in settings.RECIPE_IMAGE_HOSTS else ""

    @property
    def total_minutes(self) -> int:
        return self.prep_minutes + self.cook_minutes

    @property
    def meal_types(self) -> list[str]:
        return [mt for mt in MealType.values if getattr(self, f"is_{mt}")]

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]


class RecipeIngredient(models.Model):
    """One ingredient line: what the recipe says, and what it resolved to.

    `grams` is the resolved weight for the whole recipe; None means the line
    could not be converted and `problem` says why, so it is never counted as
    zero silently.
    """

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ingredients")
    food = models.ForeignKey(
        Food, on_delete=models.PROTECT, null=True, blank=True, related_name="recipe_ingredients"
    )
    quantity = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    quantity_max = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text='Upper end of a range such as "2-3 cloves".',
    )
    unit = models.CharField(max_length=40, blank=True, help_text='e.g. "g", "cup", "large".')
    portion = models.ForeignKey(
        FoodPortion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="USDA portion used to convert a volume or count to grams.",
    )
    grams = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    original_text = models.CharField(max_length=1000, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text='Preparation, e.g. "finely chopped".')
    order = models.PositiveSmallIntegerField(default=0)
    match_confidence = models.FloatField(null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True, help_text="Why this line is not counted.")
    shop_as = models.CharField(
        max_length=100, blank=True,
        help_text='What to buy when the food only stands in for the one named (USDA has no quark: "Quark").',
    )

    class Meta:
        ordering = ["recipe", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="ingredient_quantity_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(grams__isnull=True) | Q(grams__gte=0), name="ingredient_grams_non_negative"
            ),
        ]

    def __str__(self):
        return self.original_text or f"{self.quantity or ''} {self.unit} {self.shop_as or self.food or ''}".strip()

    @property
    def is_resolved(self) -> bool:
        return self.food_id is not None and self.grams is not None
