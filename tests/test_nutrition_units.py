"""Quantities to grams: mass directly, volume through a portion or density, counts through portions."""

import pytest

from meals.parsing.units import DRAINED_SHARE, Portion, Refuse, diameter, to_grams

ONION = [Portion(1, 1, "cup, chopped", 160), Portion(2, 1, 'medium (2-1/2" dia)', 110), Portion(3, 1, "large", 150)]
MILK = [Portion(4, 1, "cup", 244), Portion(5, 1, "fl oz", 30.5)]
GARLIC = [Portion(6, 1, "cup", 136), Portion(7, 1, "clove", 3)]
AVOCADO = [Portion(8, 1, "cup, cubes", 150), Portion(9, 1, "avocado, NS as to Florida or California", 201)]


@pytest.mark.parametrize(
    ("quantity", "unit", "grams"),
    [(200, "g", 200), (1, "kg", 1000), (1, "lb", 453.592), (8, "oz", 226.796), (500, "mg", 0.5)],
)
def test_mass_converts_directly(quantity, unit, grams):
    assert to_grams(quantity, unit, []).grams == pytest.approx(grams, rel=1e-4)


def test_volume_uses_the_food_portion_in_the_same_unit():
    conversion = to_grams(1.5, "cup", ONION, line_text="1 1/2 cups chopped onion")
    assert conversion.grams == pytest.approx(240)
    assert conversion.portion.measure == "cup, chopped"


def test_volume_in_another_unit_scales_through_pint():
    assert to_grams(2, "tbsp", MILK).grams == pytest.approx(244 / 8, rel=0.01)
    assert to_grams(250, "ml", MILK).grams == pytest.approx(244 * 250 / 236.588, rel=0.001)


def test_volume_without_portion_uses_density_or_says_why():
    assert to_grams(100, "ml", [], density_g_per_ml=0.92).grams == pytest.approx(92)
    missing = to_grams(1, "cup", [], food_name="Salt, table")
    assert missing.grams is None
    assert missing.problem == "no volume portion or density for Salt, table to convert cup"


def test_counts_and_sizes_go_through_portions():
    assert to_grams(1, "medium", ONION).grams == 110
    assert to_grams(2, "large", ONION).grams == 300
    assert to_grams(3, "clove", GARLIC).grams == 9
    assert to_grams(1, "", ONION).grams == 110, "a bare count is a medium one"
    assert to_grams(2, "", AVOCADO, food_name="Avocados, raw").grams == 402, "or one named like the food"


def test_rashers_and_strips_are_weighed_as_slices_of_the_kind_the_line_names():
    """USDA weighs bacon by the slice (and the package); "rashers" and "strips" are its slices, and a
    "thick cut" strip is its thick-cut slice."""
    bacon = [Portion(1, 1, "package", 442), Portion(2, 1, "slice raw", 28), Portion(3, 1, "slice, thick cut", 40)]
    name = "Pork, cured, bacon, unprepared"
    assert to_grams(2, "", bacon, line_text="2 bacon rashers", food_name=name).grams == 56
    assert to_grams(3, "", bacon, line_text="3 thick cut bacon strips", food_name=name).grams == 120


def test_unconvertible_count_has_a_reason():
    conversion = to_grams(2, "slice", ONION, food_name="Onions, raw")
    assert conversion.grams is None
    assert "slice" in conversion.problem and "Onions, raw" in conversion.problem
    assert to_grams(None, "", ONION).problem == "no quantity given"


HEAVY_CREAM = [Portion(1, 1, "cup, whipped", 120), Portion(2, 1, "cup, fluid (yields 2 cups whipped)", 238),
               Portion(3, 1, "tbsp", 15)]
BROWN_SUGAR = [Portion(1, 1, "cup packed", 220), Portion(2, 1, "cup unpacked", 145)]
POTATO = [Portion(1, 0.5, "cup, diced", 75), Portion(2, 1, 'Potato large (3" to 4-1/4" dia)', 369),
          Portion(3, 1, 'Potato medium (2-1/4" to 3-1/4" dia)', 213), Portion(4, 1, 'Potato small (1-3/4" to 2-1/2" dia)', 170)]
TOMATO = [Portion(1, 1, "cup cherry tomatoes", 149), Portion(2, 1, "cherry", 17), Portion(3, 1, 'large whole (3" dia)', 182),
          Portion(4, 1, 'medium whole (2-3/5" dia)', 123), Portion(5, 1, "slice, medium (1/4\" thick)", 20),
          Portion(6, 1, "NLEA serving", 148)]
TORTILLA = [Portion(1, 1, "tortilla", 48), Portion(2, 1, "oz", 28.35), Portion(3, 1, 'tortilla medium (approx 6" dia)', 30),
            Portion(4, 1, 'tortilla (approx 10" dia)', 72), Portion(5, 1, 'tortilla (approx 12" dia)', 117)]
LEMON = [Portion(1, 1, "cup, sections", 212), Portion(2, 1, 'fruit (2-1/8" dia)', 58),
         Portion(3, 1, 'wedge or slice (1/8 of one 2-1/8" dia lemon)', 7)]


def test_an_unmodified_volume_measure_wins_unless_the_line_names_the_modifier():
    assert to_grams(1, "cup", HEAVY_CREAM, line_text="1 cup heavy cream").grams == pytest.approx(238)
    assert to_grams(1, "cup", HEAVY_CREAM, line_text="1 cup heavy cream, whipped").grams == pytest.approx(120)
    assert to_grams(1, "cup", BROWN_SUGAR, line_text="1 cup packed brown sugar").grams == pytest.approx(220)
    assert to_grams(1, "cup", BROWN_SUGAR, line_text="1 cup brown sugar").grams == pytest.approx(145)


def test_plural_food_names_find_their_count_portion_by_inflection():
    assert to_grams(3, "", POTATO, food_name="Potatoes, flesh and skin, raw", line_text="3 potatoes").grams == pytest.approx(3 * 213)


def test_size_words_choose_the_portion():
    assert to_grams(2, "large", POTATO, food_name="Potatoes, raw", line_text="2 large potatoes").grams == pytest.approx(2 * 369)
    assert to_grams(1, "small", POTATO, food_name="Potatoes, raw", line_text="1 small potato").grams == pytest.approx(170)
    assert to_grams(10, "", TOMATO, food_name="Tomatoes, red, raw", line_text="10 cherry tomatoes").grams == pytest.approx(170)
    assert to_grams(1, "", TOMATO, food_name="Tomatoes, red, raw", line_text="1 tomato").grams == pytest.approx(123)
    assert to_grams(2, "", LEMON, food_name="Lemons, raw", line_text="2 lemons").grams == pytest.approx(116), "a lemon is not a wedge"


def test_inches_choose_the_portion_of_that_width():
    assert to_grams(4, "", TORTILLA, food_name="Tortillas, flour", line_text="4 (6-inch) flour tortillas").grams == pytest.approx(120)
    assert to_grams(2, "", TORTILLA, food_name="Tortillas, flour", line_text='2 12" tortillas').grams == pytest.approx(234)


def test_volume_without_own_portion_uses_related_foods_measure_of_the_same_kind():
    cheeses = [Portion(1, 1, "cup, shredded", 113), Portion(2, 1, "cup, diced", 132), Portion(3, 1, "cup, shredded", 112),
               Portion(4, 1, "cup, shredded", 120)]
    gouda = [Portion(9, 1, "oz", 28.35)]
    grams = to_grams(1, "cup", gouda, line_text="1 cup shredded Gouda cheese", family_portions=cheeses).grams
    assert grams == pytest.approx(113, abs=0.5)


def test_count_units_usda_has_no_portion_for_use_a_typical_weight():
    assert to_grams(2, "sprig", [], food_name="Rosemary, fresh").grams == pytest.approx(2)
    assert to_grams(1, "", [Portion(1, 1, "tsp, crumbled", 0.6)], food_name="Spices, bay leaf").grams == 0.5


def test_a_bunch_of_cooking_greens_weighs_usdas_bunch_of_spinach_not_a_bunch_of_herbs():
    assert to_grams(4, "bunch", [Portion(1, 1, "cup, chopped", 36)], food_name="Collards, raw").grams == 4 * 340
    assert to_grams(2, "bunch", [], food_name="Mustard greens, raw").grams == 680
    assert to_grams(1, "bunch", [], food_name="Kale, raw").grams == 340
    assert to_grams(1, "bunch", [], food_name="Coriander (cilantro) leaves, raw").grams == 60, "herbs"
    assert to_grams(1, "bunch", [], food_name="Onions, spring or scallions (includes tops and bulb), raw").grams == 60
    assert to_grams(1, "bunch", [Portion(1, 1, "bunch", 340)], food_name="Spinach, raw").grams == 340, "its own"


def test_a_baguette_weighs_the_french_standard_loaf_or_the_share_of_its_length_the_line_states():
    french = [Portion(1, 1, "oz", 28.35), Portion(2, 1, "slice", 139)]
    name = "Bread, french or vienna (includes sourdough)"
    assert to_grams(1, "", french, food_name=name, line_text="1 French baguette").grams == 250
    assert to_grams(2, "", french, food_name=name, line_text="2 (7 inch) French bread baguettes, split").grams == (
        pytest.approx(2 * 250 * 7 / 26))
    assert to_grams(1, "", french, food_name=name, line_text="1 (30 inch) baguette").grams == 250, "at most one"
    assert to_grams(1, "", french, food_name=name, line_text="1 loaf French bread").grams is None


def test_a_bare_count_of_a_food_usda_weighs_only_by_the_stalk_counts_stalks():
    celery = [Portion(1, 1, "cup chopped", 101), Portion(2, 1, "stalk, large (11\"-12\" long)", 64),
              Portion(3, 1, "stalk, medium (7-1/2\" - 8\" long)", 40), Portion(4, 1, "stalk, small (5\" long)", 17)]
    assert to_grams(2, "", celery, food_name="Celery, raw", line_text="2 celery, chopped").grams == 80
    assert to_grams(1, "large", celery, food_name="Celery, raw", line_text="1 large celery").grams == 64
    assert to_grams(2, "", [Portion(1, 1, "cup", 100)], food_name="Spinach, raw", line_text="2 spinach").grams is None


def test_foods_counted_whole_that_usda_weighs_only_by_volume_use_a_typical_weight():
    shallot = [Portion(1, 1, "tbsp chopped", 10)]
    assert to_grams(2, "", shallot, food_name="Shallots, raw", line_text="2 shallots, sliced").grams == 60
    assert to_grams(1, "large", shallot, food_name="Shallots, raw", line_text="1 large shallot").grams == 30
    cinnamon = [Portion(1, 1, "tsp", 2.6)]
    assert to_grams(2, "", cinnamon, food_name="Spices, cinnamon, ground", line_text="2 cinnamon sticks").grams == 6
    assert to_grams(1, "stalk", [Portion(1, 1, "cup", 67)], food_name="Lemon grass (citronella), raw").grams == 20
    assert to_grams(1, "piece", [Portion(1, 1, "tsp", 2)], food_name="Ginger root, raw",
                    line_text="1 (1 inch) piece fresh ginger").grams == 15
    assert to_grams(1, "head", [Portion(1, 1, "clove", 3)], food_name="Garlic, raw").grams == 40
    assert to_grams(1, "head", [], food_name="Lettuce, green leaf, raw").grams is None, "a head is no leaf"
    assert to_grams(2, "slice", [], food_name="Shallots, raw").grams is None, "a slice is no whole shallot"


CHICKEN_BREAST = "Chicken, broiler or fryers, breast, skinless, boneless, meat only, raw"
CHICKEN_FAMILY = [
    ("Chicken, broilers or fryers, breast, meat and skin, raw", Portion(1, 0.5, "breast, bone removed", 145)),
    ("Chicken, broilers or fryers, breast, skinless, boneless, meat only, with added solution, raw",
     Portion(2, 0.5, "breast", 118)),
    ("Chicken, broilers or fryers, breast, meat only, cooked, roasted",
     Portion(3, 0.5, "breast, bone and skin removed", 86)),
]


def test_a_counted_part_the_food_does_not_weigh_takes_the_closest_related_foods_portion():
    own = [Portion(7, 3, "oz", 85), Portion(8, 1, "piece", 272)]
    grams = to_grams(4, "", own, food_name=CHICKEN_BREAST, line_text="4 skinless, boneless chicken breast halves",
                     related_items=CHICKEN_FAMILY).grams
    assert grams == pytest.approx(4 * 118), "the raw skinless boneless half breast, not meat and skin nor cooked"
    assert to_grams(1, "", own, food_name=CHICKEN_BREAST, line_text="1 chicken breast",
                    related_items=[CHICKEN_FAMILY[0]]).grams == 272, "a related food must name almost every word"


def test_usda_half_of_a_pair_or_side_is_one_counted_breast_or_fillet():
    salmon = [Portion(1, 3, "oz", 85), Portion(2, 0.5, "fillet", 198)]
    assert to_grams(4, "", salmon, food_name="Fish, salmon, Atlantic, wild, raw",
                    line_text="4 salmon fillets").grams == pytest.approx(4 * 198)
    duck = [Portion(1, 0.5, "duck", 303)]
    assert to_grams(1, "", duck, food_name="Duck, domesticated, meat only, raw", line_text="1 duck").grams == 606


def test_a_count_records_the_portion_it_was_weighed_by():
    conversion = to_grams(2, "large", ONION, food_name="Onions, raw", line_text="2 large onions")
    assert (conversion.grams, conversion.portion) == (300, ONION[2])


CELERY = [Portion(1, 1, "cup chopped", 101), Portion(2, 1, 'large stalk (11"-12" long)', 64),
          Portion(3, 1, 'medium stalk (7-1/2" - 8" long)', 40)]
BREAD = [Portion(1, 1, "slice, medium", 30), Portion(2, 1, "slice", 25), Portion(3, 1, "oz", 28.35)]


def test_a_count_unit_named_after_the_measure_word_takes_that_size_else_medium_else_the_unsized_one():
    assert to_grams(2, "stalk", CELERY, food_name="Celery, raw", line_text="2 stalks celery").grams == 80
    assert to_grams(2, "stalk", CELERY, food_name="Celery, raw", line_text="2 large stalks celery").grams == 128
    assert to_grams(2, "slice", BREAD, food_name="Bread, white", line_text="2 slices bread").grams == 50
    assert to_grams(2, "slice", BREAD, food_name="Bread, white", line_text="2 medium slices bread").grams == 60


def test_a_piece_is_a_whole_item():
    assert to_grams(2, "piece", ONION, food_name="Onions, raw", line_text="2 pieces onion").grams == 220


def test_a_size_word_in_the_line_counts_without_a_unit():
    assert to_grams(2, "", POTATO, food_name="Potatoes, raw", line_text="2 potatoes, large").grams == pytest.approx(738)


def test_a_part_named_in_the_food_weighs_one_item():
    crust = [Portion(1, 1, "cup", 120), Portion(2, 1, "pie crust (average weight of 1 frozen)", 178)]
    food = "Pie crust, standard-type, frozen, ready-to-bake"
    assert to_grams(1, "", crust, food_name=food, line_text="1 store-bought crust").grams == 178


def test_the_part_the_line_counts_weighs_it():
    assert to_grams(4, "", LEMON, food_name="Lemons, raw", line_text="4 lemon wedges").grams == 28


def test_volumes_and_weightless_portions_are_not_whole_items():
    assert to_grams(2, "", [Portion(1, 1, "pint", 357)], food_name="Strawberries, raw").grams is None
    portions = [Portion(1, 1, "medium", 0), Portion(2, 1, "large", 150)]
    assert to_grams(2, "", portions, food_name="Peaches, raw", line_text="2 peaches").grams == 300
    assert to_grams(20, "", [Portion(1, 1, "caper", 0.5)], food_name="Capers, canned").grams == 10


@pytest.mark.parametrize("measure", ["large, about 1 cup", "medium, about 1 tbsp", "small, about 1 tsp",
                                     "fillet, about 6 oz", "whole, about 1 lb", "medium, 150 g"])
def test_a_whole_item_portion_that_states_its_volume_or_weight_is_still_one_item(measure):
    assert to_grams(2, "", [Portion(1, 1, measure, 150)], food_name="Fish, cod, raw").grams == 300


def test_an_item_nobody_weighed_is_named_in_the_problem():
    assert to_grams(2, "", [], food_name="Dragon fruit").problem == (
        "no USDA portion says what one item of Dragon fruit weighs")


def pick(line: str, *measures: str) -> str:
    """The measure of the whole-item portion chosen for a bare count of tomatoes."""
    portions = [Portion(number, 1, measure, 100 + number) for number, measure in enumerate(measures)]
    return to_grams(1, "", portions, food_name="Tomatoes, raw", line_text=line).portion.measure


# A kind the line names counts 3, one it does not name -2; the size the line names +4, else
# no size word +2, medium +1.8, large +1, another size +0.5; a width within 4" of the line's +4 less the gap.
@pytest.mark.parametrize(("line", "measures", "chosen"), [
    ("2 plum tomatoes", ["plum roma italian", "medium"], "medium"),  # 1 named, 2 not: 1.0 < 1.8
    ("2 plum roma tomatoes", ["plum roma italian grape", "small plum"], "plum roma italian grape"),  # 4 > 3.5
    ("2 large cherry tomatoes", ["large", "cherry, large"], "cherry, large"),  # 4 < 3 + 4
    ("2 large plum tomatoes, 3 inch", ["large", 'plum (0.5" dia)'], 'plum (0.5" dia)'),  # 4 < 3 + 1.5
    ("2 large plum tomatoes, 3 inch", ["large", 'plum (6.5" dia)'], "large"),  # 4 > 3 + 0.5
    ("2 tomatoes", ["medium", "whole"], "whole"),  # 1.8 < 2
    ("2 tomatoes, 3 inch", ["whole", 'medium (6" dia)'], 'medium (6" dia)'),  # 2 < 1.8 + 1
    ("2 tomatoes", ["small", "large"], "large"),  # 0.5 < 1
    ("2 plum tomatoes, 3 inch", ['plum (2" dia)', 'whole (3" dia)'], 'plum (2" dia)'),  # 3 + 2 + 3 > 2 + 4
    ("2 tomatoes, 3 inch", ["whole", 'medium (7" dia)'], "whole"),  # 2 > 1.8 + 0
    ("2 tomatoes, 3 inch", ['medium (8" dia)', "large"], 'medium (8" dia)'),  # 1.8 + 0 > 1
])
def test_a_bare_count_takes_the_portion_the_line_describes_best(line, measures, chosen):
    assert pick(line, *measures) == chosen


@pytest.mark.parametrize(("measure", "inches"), [
    ('medium (2-1/2" dia)', 2.5), ('large (3-3/4" dia)', 3.75), ('whole (2-5/8" dia)', 2.625),
    ('small (2 1/4" dia)', 2.25), ('Potato large (3" to 4-1/4" dia)', 3.0), ("NLEA serving", None),
])
def test_portion_widths_read_whole_and_fractional_inches(measure, inches):
    assert diameter(measure) == inches


def test_a_fractional_width_decides_between_portions():
    portions = [Portion(1, 1, 'small (2" dia)', 80), Portion(2, 1, 'small (2-1/2" dia)', 100)]
    assert to_grams(2, "", portions, food_name="Apples, raw", line_text="2 small 2.5-inch apples").grams == 200


def test_volume_portions_without_weight_or_of_another_kind_are_not_used():
    assert to_grams(1, "cup", [Portion(1, 1, "cup", 0), Portion(2, 1, "tbsp", 15)]).grams == pytest.approx(240, rel=0.01)
    assert to_grams(1, "tsp", [Portion(1, 1, "tsp", 0.9), Portion(2, 1, "tbsp", 2.5)]).grams == pytest.approx(0.9)
    almonds = [Portion(1, 1, "cup, whole", 143), Portion(2, 1, "cup, sliced", 92)]
    assert to_grams(1, "cup", almonds, line_text="1 cup sliced almonds").grams == pytest.approx(92)


def test_related_foods_lend_the_volume_portion_in_the_lines_unit_and_skip_weightless_ones():
    cheeses = [Portion(1, 1, "cup, shredded", 113), Portion(2, 1, "tbsp, grated", 5)]
    grams = to_grams(2, "tbsp", [], line_text="2 tbsp Gouda cheese", family_portions=cheeses).grams
    assert grams == pytest.approx(10)
    herbs = [Portion(1, 1, "tsp, leaves", 1.0), Portion(2, 1, "tsp, leaves", 0.8), Portion(3, 1, "tbsp, leaves", 2.7),
             Portion(4, 1, "tbsp, leaves", 3.3), Portion(5, 1, "tsp, leaves", 0)]
    # grams per ml: 0.162, 0.183, 0.203, 0.223 (the weightless one left out): median 0.193, 2.85 g a tbsp
    grams = to_grams(1, "tbsp", [], line_text="1 tbsp dried oregano leaves", family_portions=herbs).grams
    assert grams == pytest.approx(2.85, abs=0.005)


def test_a_part_the_foods_own_portions_weigh_is_not_taken_from_related_foods():
    own = [Portion(7, 3, "oz", 85), Portion(8, 0.5, "breast, bone and skin removed", 120)]
    assert to_grams(2, "", own, food_name=CHICKEN_BREAST, line_text="2 chicken breasts",
                    related_items=CHICKEN_FAMILY).grams == 240


BROILER = "Chicken, broilers or fryers, breast, skinless, boneless, meat only"
ALL_WORDS_LONG = (f"{BROILER}, raw, with added solution, frozen", Portion(1, 0.5, "breast", 130))
ALL_WORDS = (f"{BROILER}, raw, with added solution", Portion(2, 0.5, "breast", 118))
NO_RAW = (BROILER, Portion(3, 0.5, "breast", 110))
NO_MEAT_ONLY = ("Chicken, broilers or fryers, breast, skinless, boneless, raw", Portion(5, 0.5, "breast", 140))
WEIGHTLESS = (f"{BROILER}, raw", Portion(4, 0.5, "breast", 0))
A_PIECE = (f"{BROILER}, raw", Portion(6, 1, "piece", 272))
A_CUP = (f"{BROILER}, raw", Portion(7, 1, "cup, chopped, breast", 140))


@pytest.mark.parametrize(("related", "grams"), [
    ([ALL_WORDS_LONG, ALL_WORDS, NO_RAW], 236),  # every word of the food, the shorter name first
    ([NO_RAW], 220),  # one word of the food missing ("raw") is still close enough
    ([NO_MEAT_ONLY], None),  # two missing is another food
    ([WEIGHTLESS, A_PIECE, A_CUP, NO_RAW], 220),  # no weight, no breast, a volume: none weighs a breast
])
def test_the_related_food_closest_in_name_lends_its_portion_of_the_counted_part(related, grams):
    food = "Chicken, broiler or fryers, breast, skinless, boneless, meat only, raw"
    assert to_grams(2, "", [Portion(9, 3, "oz", 85)], food_name=food, line_text="2 chicken breasts",
                    related_items=related).grams == grams


def test_only_words_after_the_foods_first_segment_name_a_counted_part():
    tenders = [Portion(1, 1, "piece", 40)]
    related = [("Chicken breast tenders, raw, frozen", Portion(2, 0.5, "breast", 118))]
    assert to_grams(2, "", tenders, food_name="Chicken breast tenders, raw", line_text="2 chicken breast tenders",
                    related_items=related).grams == 80


def test_a_line_word_naming_one_of_the_foods_own_volume_portions_does_not_stop_the_related_part():
    own = [Portion(7, 3, "oz", 85), Portion(8, 1, "cup, chopped or diced", 140), Portion(9, 1, "piece", 272)]
    assert to_grams(2, "", own, food_name=CHICKEN_BREAST, line_text="2 chicken breasts, diced",
                    related_items=CHICKEN_FAMILY).grams == pytest.approx(236)


def test_a_related_foods_tiny_counted_item_is_weighed():
    food = "Spices, pepper, black, peppercorn"
    related = [("Spices, pepper, black, peppercorn, organic", Portion(2, 1, "peppercorn", 0.05))]
    grams = to_grams(10, "", [Portion(1, 1, "tsp, whole", 2.9)], food_name=food, line_text="10 black peppercorns",
                     related_items=related).grams
    assert grams == pytest.approx(0.5)


CHICKEN = [Portion(1, 3, "oz", 85), Portion(2, 1, "unit (yield from 1 lb ready-to-cook chicken)", 276),
           Portion(3, 0.5, "chicken, bone removed", 460)]


def test_a_whole_or_bone_in_bird_by_weight_counts_usdas_edible_yield_of_a_pound():
    whole = to_grams(3, "lb", CHICKEN, line_text="1 (3 pound) whole chicken, cut into 8 pieces").grams
    assert whole == pytest.approx(3 * 276)
    assert to_grams(1, "lb", CHICKEN, line_text="1 pound boneless chicken").grams == pytest.approx(453.6, abs=0.1)
    assert to_grams(1, "lb", [], line_text="1 pound bone-in pork").grams == pytest.approx(453.6, abs=0.1), \
        "no USDA yield: the weight as written"


def test_a_counted_whole_bird_is_two_halves_not_the_yield_of_a_pound():
    assert to_grams(1, "", CHICKEN, food_name="Chicken, broilers or fryers, meat and skin, raw",
                    line_text="1 whole chicken, cut into parts").grams == 920


def test_only_a_whole_or_bone_in_bird_by_weight_is_cut_to_usdas_yield_and_never_grows():
    assert to_grams(1, "lb", CHICKEN, line_text="1 pound chicken thighs").grams == pytest.approx(453.6, abs=0.1)
    assert to_grams(2, "lb", CHICKEN, line_text="2 lb whole boneless chicken breasts").grams == pytest.approx(
        907.2, abs=0.1), "boneless is weighed as written"
    yield_after_a_cup = [Portion(1, 1, "cup, chopped or diced", 140), *CHICKEN]
    assert to_grams(3, "lb", yield_after_a_cup, line_text="1 (3 pound) whole chicken").grams == pytest.approx(3 * 276)
    too_heavy = [Portion(2, 1, "unit (yield from 1 lb ready-to-cook chicken)", 500)]
    assert to_grams(3, "lb", too_heavy, line_text="1 (3 pound) whole chicken").grams == pytest.approx(1360.8, abs=0.1)


WING = Refuse(bone=0.46, sold_bone_in=True)  # USDA 05100 wing, meat and skin: refuse "Bone 46%"
THIGH_MEAT_ONLY = Refuse(bone=0.15, skin=0.25, sold_bone_in=True)  # 05096: bone 15 %, skin and separable fat 25 %
BREAST_WITH_SKIN = Refuse(bone=0.20)  # 05057: sold boneless as often as not, so only when the line says bone-in


def test_a_part_sold_on_the_bone_by_weight_counts_what_usda_says_is_eaten():
    assert to_grams(3, "lb", [], line_text="3 pounds chicken wings", refuse=WING).grams == pytest.approx(
        3 * 453.59 * 0.54, abs=0.1)
    assert to_grams(3, "lb", [], line_text="3 pounds boneless chicken wings", refuse=WING).grams == pytest.approx(
        3 * 453.59, abs=0.1), "boneless: the weight as written"
    assert to_grams(6, "", [Portion(1, 1, "wing", 90)], line_text="6 chicken wings", refuse=WING).grams == 540, \
        "a counted part is USDA's edible portion already"


def test_a_skinless_part_on_the_bone_loses_only_its_bone():
    skinless = to_grams(2, "lb", [], line_text="2 pounds skinless chicken thighs", refuse=THIGH_MEAT_ONLY).grams
    assert skinless == pytest.approx(2 * 453.59 * (1 - 0.15 / 0.75), abs=0.1)
    with_skin = to_grams(2, "lb", [], line_text="2 pounds chicken thighs", refuse=THIGH_MEAT_ONLY).grams
    assert with_skin == pytest.approx(2 * 453.59 * 0.6, abs=0.1), "bought with skin, the meat only is eaten"


def test_a_part_not_always_sold_on_the_bone_is_cut_only_when_the_line_says_bone_in():
    assert to_grams(1, "lb", [], line_text="1 pound chicken breast", refuse=BREAST_WITH_SKIN).grams == pytest.approx(
        453.59, abs=0.1)
    assert to_grams(1, "lb", [], line_text="1 pound bone-in chicken breast",
                    refuse=BREAST_WITH_SKIN).grams == pytest.approx(453.59 * 0.8, abs=0.1)


def test_a_weighed_can_of_drained_food_counts_its_solids_not_its_liquid():
    chickpeas = "Chickpeas (garbanzo beans, bengal gram), mature seeds, canned, drained solids"
    assert to_grams(30, "oz", [], food_name=chickpeas, line_text="2 (15 ounce) cans garbanzo beans, drained"
                    ).grams == pytest.approx(30 * 28.3495 * DRAINED_SHARE, abs=0.1)
    assert to_grams(15, "oz", [], food_name="Beans, black turtle, mature seeds, canned",
                    line_text="1 (15 ounce) can black beans, rinsed and drained").grams == pytest.approx(
        15 * 28.3495, abs=0.1), "solids and liquids: the energy is spread over the label weight"
    assert to_grams(1, "lb", [], food_name=chickpeas, line_text="1 pound chickpeas").grams == pytest.approx(
        453.59, abs=0.1), "not a can: the weight as written"


def test_a_counted_cut_is_never_a_whole_animal_portion():
    duck = [Portion(1, 0.5, "duck", 606), Portion(2, 1, "cup, chopped or diced", 140)]
    assert to_grams(2, "", duck, food_name="Duck, domesticated, meat only, raw",
                    line_text="2 duck breast halves").grams is None
    related = [("Duck, wild, breast, meat only, raw", Portion(3, 0.5, "breast, bone and skin removed", 83))]
    assert to_grams(2, "", duck, food_name="Duck, domesticated, meat only, raw", line_text="2 duck breast halves",
                    related_items=related).grams == 166


def test_a_counted_cut_is_never_a_portion_of_the_food_itself_or_of_another_cut():
    """USDA weighs one flank steak, one chicken liver, half a salmon fillet: none of these is what a fillet,
    a thigh or a salmon steak weighs, so the line is left unweighed and says so rather than counting
    "2 beef fillets" as two 202 g flank steaks."""
    flank = "Beef, flank, steak, separable lean only, trimmed to 0\" fat, choice, raw"
    fillets = to_grams(2, "", [Portion(1, 1, "oz", 28.35), Portion(2, 1, "steak", 202)], food_name=flank,
                       line_text="2 beef fillets")
    assert fillets.grams is None
    assert fillets.problem == f"no USDA portion says what one item of {flank} weighs"
    assert to_grams(2, "", [Portion(1, 1, "liver", 44)], food_name="Chicken, liver, all classes, raw",
                    line_text="2 chicken thighs").grams is None
    assert to_grams(2, "", [Portion(1, 3, "oz", 85), Portion(2, 0.5, "fillet", 198)],
                    food_name="Fish, salmon, Atlantic, wild, raw", line_text="2 salmon steaks").grams is None
    assert to_grams(3, "", [Portion(1, 1, "liver", 44)], food_name="Chicken, liver, all classes, raw",
                    line_text="3 chicken livers").grams == 132, "the food's own item still weighs itself"


def test_a_serving_named_after_the_item_is_one_item():
    buns = [Portion(1, 1, "roll 1 serving", 44), Portion(2, 1, "oz", 28.35)]
    assert to_grams(6, "", buns, food_name="Rolls, hamburger or hotdog, plain",
                    line_text="6 sesame seed hamburger buns").grams == 264


def test_a_drained_can_of_a_food_usda_gives_boiled_counts_its_solids():
    """USDA has no canned pigeon peas: "1 (15 ounce) can gandules, drained" of the boiled ones is the can's
    solids (DRAINED_SHARE of the label weight), not 425 g of peas; an undrained can or a canned entry keeps it."""
    peas = "Pigeon peas (red gram), mature seeds, cooked, boiled, without salt"
    assert to_grams(15, "oz", [], food_name=peas, line_text="1 (15 ounce) can gandules (pigeon peas), drained and rinsed"
                    ).grams == pytest.approx(15 * 28.3495 * DRAINED_SHARE, abs=0.1)
    assert to_grams(2, "can", [], food_name=peas, line_text="2 cans pigeon peas, drained").grams == pytest.approx(
        2 * 400 * DRAINED_SHARE)
    assert to_grams(15, "oz", [], food_name=peas, line_text="1 (15 ounce) can pigeon peas").grams == pytest.approx(
        15 * 28.3495, abs=0.1), "undrained: the liquid is eaten too"
    assert to_grams(6, "oz", [], food_name="Steelhead trout, boiled, canned (Alaska Native)",
                    line_text="1 (6 ounce) can trout, drained").grams == pytest.approx(6 * 28.3495, abs=0.1), \
        "a canned entry is what the can holds"
    assert to_grams(1, "lb", [], food_name=peas, line_text="1 pound pigeon peas, drained").grams == pytest.approx(
        453.59, abs=0.1), "not a can"


def test_a_whole_fish_is_two_fillets():
    """USDA weighs sea bass by the fillet (one side, 129 g): a whole fish has two."""
    bass = [Portion(1, 1, "fillet", 129), Portion(2, 3, "oz", 85)]
    fish = "Fish, sea bass, mixed species, raw"
    assert to_grams(2, "", bass, food_name=fish, line_text="2 whole Branzino (sea bass) fish, cleaned").grams == 516
    assert to_grams(2, "", bass, food_name=fish, line_text="2 sea bass fillets").grams == 258
    assert to_grams(2, "", bass, food_name=fish, line_text="2 whole sea bass fillets").grams == 258
    assert to_grams(1, "", [Portion(1, 1, "fillet", 500)], food_name="Beef, tenderloin, raw",
                    line_text="1 whole beef tenderloin").grams == 500, "only a fish has two sides to fillet"


def test_counted_cans_of_drained_food_count_their_solids_and_other_counts_from_a_can_do_not():
    """“2 cans chickpeas, drained” with no can portion: two typical 400 g cans, of which the drained
    solids USDA weighs are DRAINED_SHARE; a can of a food USDA weighs whole keeps its 400 g; a stalk
    counted from a can weighs a stalk."""
    chickpeas = "Chickpeas (garbanzo beans, bengal gram), mature seeds, canned, drained solids"
    assert to_grams(2, "can", [], food_name=chickpeas, line_text="2 cans chickpeas, drained").grams == pytest.approx(
        2 * 400 * DRAINED_SHARE)
    assert to_grams(1, "can", [], food_name="Beans, black turtle, mature seeds, canned",
                    line_text="1 can black beans").grams == 400
    assert to_grams(3, "stalk", [], food_name="Asparagus, canned, drained solids",
                    line_text="3 stalks asparagus from a can").grams == 60


def test_a_frank_weighed_as_one_nlea_serving_is_one_frank():
    """USDA 07905 weighs a frank only as “frank 1 NLEA serving”: “NLEA” is no part of the frank."""
    franks = [Portion(1, 1, "frank 1 NLEA serving", 57)]
    assert to_grams(4, "", franks, food_name="Frankfurter, beef, pork, and turkey, fat free",
                    line_text="4 beef franks").grams == 228


def test_an_unnamed_food_nobody_weighed_is_called_the_food():
    assert to_grams(2, "", []).problem == "no USDA portion says what one item of the food weighs"


def test_a_part_named_in_a_middle_segment_of_the_foods_name_is_counted():
    """“2 pork tenderloins” of a food that weighs only “3 oz”: the tenderloin is named in the name's
    fourth segment, not its last, and a sibling food's tenderloin portion weighs it."""
    food = "Pork, fresh, loin, tenderloin, separable lean only, raw"
    related = [("Pork, fresh, loin, tenderloin, separable lean and fat, raw", Portion(2, 1, "tenderloin", 450))]
    assert to_grams(2, "", [Portion(1, 3, "oz", 85)], food_name=food, line_text="2 pork tenderloins",
                    related_items=related).grams == 900



def test_a_cut_counted_of_a_food_named_after_another_part_is_not_weighed_as_that_part():
    """USDA 05293 weighs a turkey breast only as “0.5 breast, bone removed” (864 g): “2 turkey
    cutlets” are not two 1.7 kg breasts; the animal's name is the whole first segment, “Turkey breast”."""
    breast = [Portion(1, 3, "oz", 85), Portion(2, 0.5, "breast, bone removed", 864)]
    assert to_grams(2, "", breast, food_name="Turkey breast, pre-basted, meat and skin, cooked, roasted",
                    line_text="2 turkey cutlets").grams is None


PICKLE = [Portion(20, 1, "spear, small", 35), Portion(21, 1, 'large (4" long)', 135), Portion(22, 1, "slice", 7)]
PLANTAIN = [Portion(23, 1, "cup, sliced", 148), Portion(24, 1, "medium", 179)]
WHOLE_LEMON = [Portion(25, 1, "cup, sections", 212), Portion(26, 1, 'fruit (2-1/8" dia)', 58)]


def test_a_size_the_food_has_no_portion_for_scales_the_sized_one_by_usdas_size_ratios():
    assert to_grams(4, "small", PICKLE, food_name="Pickles, cucumber, dill").grams == pytest.approx(4 * 135 * 0.74 / 1.36)
    assert to_grams(6, "large", PLANTAIN, food_name="Plantains, raw").grams == pytest.approx(6 * 179 * 1.36)
    assert to_grams(2, "medium", ONION).grams == 220, "a size the food has is weighed as it is"
    assert to_grams(1, "large", WHOLE_LEMON, food_name="Lemons, raw").grams == 58, "USDA's unsized item is its typical one"
    assert to_grams(3, "", PLANTAIN, food_name="Plantains, raw").grams == 3 * 179


POTATOES = [Portion(27, 1, "cup, diced", 150), Portion(28, 1, 'Potato large (3" to 4-1/4" dia)', 369),
          Portion(29, 1, 'Potato medium (2-1/4" to 3-1/4" dia)', 213), Portion(30, 1, "Potato small", 170)]
WHOLE_BIRD = [Portion(31, 3, "oz", 85), Portion(32, 0.5, "chicken, bone and skin removed", 329)]


def test_a_size_word_in_the_preparation_is_not_the_items_size():
    assert to_grams(1, "", POTATOES, line_text="1 potato, peeled and cut into large chunks").grams == 213
    assert to_grams(2, "", POTATOES, line_text="2 potatoes - peeled, cut into small pieces").grams == 426
    assert to_grams(2, "", POTATOES, line_text="2 large (8 ounce) potatoes, cubed").grams == 738


def test_a_counted_piece_of_a_bird_is_an_eighth_of_the_whole_bird():
    """A chicken is cut up in eight pieces: "5 chicken pieces" are five eighths of USDA's 658 g bird, not five
    birds (3290 g), whether the parser reads "pieces" as the unit or leaves it in the name."""
    bird = "Chicken, broilers or fryers, meat only, raw"
    assert to_grams(5, "piece", WHOLE_BIRD, food_name=bird, line_text="5 skinless chicken pieces").grams == 5 * 329 / 4
    assert to_grams(5, "", WHOLE_BIRD, food_name=bird, line_text="5 skinless chicken pieces").grams == 5 * 329 / 4
    assert to_grams(5, "piece", WHOLE_BIRD, food_name=bird, line_text="5 pc chicken").grams == 5 * 329 / 4
    assert to_grams(1, "", WHOLE_BIRD, food_name=bird, line_text="1 whole chicken").grams == 658
    assert to_grams(1, "", WHOLE_BIRD, food_name=bird, line_text="1 chicken, cut into pieces").grams == 658
    assert to_grams(1, "", WHOLE_BIRD, food_name=bird, line_text="1 chicken cut into 8 pieces").grams == 658


def test_shellfish_weighed_in_the_shell_counts_usdas_yield_of_meat():
    """USDA: a pound of clams in the shell yields 68 g of clams; shucked clams are weighed as they are."""
    clams = [Portion(1, 3, "oz", 85), Portion(2, 1, "lb (with shell), yield after shell removed", 68),
             Portion(3, 1, "large", 20)]
    assert to_grams(5, "lb", clams, line_text="5 pounds clams in shell, scrubbed").grams == pytest.approx(5 * 68)
    assert to_grams(2, "lb", clams, line_text="2 pounds littleneck clams in their shells").grams == pytest.approx(136)
    assert to_grams(1, "lb", clams, line_text="1 pound shucked clams").grams == pytest.approx(453.59, abs=0.01)
    assert to_grams(24, "small", clams, line_text="24 small clams in shell").grams == pytest.approx(24 * 20 * 0.74 / 1.36)
    heavier = [Portion(2, 1, "lb (with shell), yield after shell removed", 500)]
    assert to_grams(1, "lb", heavier, line_text="1 pound clams in shell").grams == pytest.approx(453.59, abs=0.01), \
        "a yield is never more than the weight bought"


def test_counted_pieces_are_never_items_named_after_the_animal_but_may_be_its_named_part():
    """"6 turkey breast pieces" are not six of USDA's whole turkey breasts (864 g each): the food's first segment
    ("Turkey breast") names the animal and the part; "5 pieces chicken liver" are five livers, which only the
    qualifiers name."""
    turkey = to_grams(6, "piece", [Portion(1, 3, "oz", 85), Portion(2, 0.5, "breast, bone removed", 864)],
                      food_name="Turkey breast, pre-basted, meat and skin, cooked, roasted",
                      line_text="6 turkey breast pieces")
    assert turkey.grams is None
    assert to_grams(5, "piece", [Portion(1, 1, "liver", 44)], food_name="Chicken, liver, all classes, raw",
                    line_text="5 pieces chicken liver").grams == 220


def test_what_a_count_is_cut_into_is_not_what_it_counts():
    """"3 large tomatoes, sliced into strips" are three large tomatoes, not three of USDA's tomato slices, and
    "1 lemon, cut into wedges" one lemon; "2 bacon strips" still count slices."""
    tomato = [Portion(1, 1, "large whole (3\" dia)", 182), Portion(2, 1, "slice, thick/large (1/2\" thick)", 27),
              Portion(3, 1, "wedge (1/4 of medium tomato)", 31)]
    name = "Tomatoes, red, ripe, raw, year round average"
    assert to_grams(3, "large", tomato, food_name=name,
                    line_text="3 large tomatoes, peeled, seeded, and sliced into strips").grams == 3 * 182
    assert to_grams(2, "", tomato, food_name=name, line_text="2 tomatoes, cut into 8 wedges").grams == 2 * 182
    assert to_grams(2, "", tomato, food_name=name, line_text="2 tomato wedges").grams == 2 * 31


SHRIMP = "Crustaceans, shrimp, raw (not previously frozen)"
SHRIMP_FAMILY = [
    ("Crustaceans, shrimp, mixed species, raw (may have been previously frozen)", Portion(1, 4, "large", 28)),
    ("Crustaceans, shrimp, mixed species, raw (may have been previously frozen)", Portion(2, 1, "medium", 6)),
    ("Crustaceans, crab, blue, raw", Portion(3, 1, "crab", 21)),
]


def test_a_whole_item_the_food_does_not_weigh_takes_the_closest_related_foods_item():
    """USDA weighs its fresh shrimp only by the ounce; the shrimp of the entry beside it weigh 6 g (medium) and
    7 g (large) each. A food of another name (crab) lends nothing."""
    own = [Portion(9, 3, "oz", 85)]
    assert to_grams(8, "large", own, food_name=SHRIMP, line_text="8 large shrimp, peeled",
                    related_items=SHRIMP_FAMILY).grams == pytest.approx(56)
    assert to_grams(30, "", own, food_name=SHRIMP, line_text="30 tiger prawns, peeled and deveined",
                    related_items=SHRIMP_FAMILY).grams == pytest.approx(180)
    assert to_grams(2, "", own, food_name="Crustaceans, lobster, northern, raw", line_text="2 lobsters",
                    related_items=SHRIMP_FAMILY).grams is None


def test_a_unit_the_food_does_not_weigh_takes_the_closest_related_foods_portion_of_it():
    """USDA weighs a sheet of puff pastry (245 g, half a 490 g box) only for the baked entry."""
    related = [("Puff pastry, frozen, ready-to-bake, baked", Portion(1, 1, "sheet", 245)),
               ("Phyllo dough", Portion(2, 1, "sheet dough", 19))]
    assert to_grams(2, "sheet", [Portion(9, 1, "oz", 28.35)], food_name="Puff pastry, frozen, ready-to-bake",
                    line_text="2 sheets puff pastry", related_items=related).grams == 490


def test_a_counted_part_the_food_is_not_is_no_generic_piece_of_it():
    """A boneless breast food's "1 piece" is a breast: "8 chicken tenders" stay unweighed, not eight breasts."""
    own = [Portion(7, 3, "oz", 85), Portion(8, 1, "piece", 272)]
    assert to_grams(8, "", own, food_name=CHICKEN_BREAST, line_text="8 chicken tenders").grams is None
    assert to_grams(1, "", own, food_name=CHICKEN_BREAST, line_text="1 chicken breast").grams == 272


def test_a_related_foods_part_or_cooked_yield_is_no_whole_item():
    """Broccoli's "floweret" (of the flower clusters entry) is no small broccoli, and a stewed rabbit's "piece,
    cooked (yield from 1 lb raw meat)" no rabbit."""
    broccoli = [("Broccoli, flower clusters, raw", Portion(1, 1, "floweret", 11))]
    assert to_grams(1, "small", [Portion(9, 1, "cup, chopped", 91)], food_name="Broccoli, raw",
                    line_text="1 small broccoli", related_items=broccoli).grams is None
    rabbit = [("Game meat, rabbit, wild, cooked, stewed",
               Portion(1, 1, "piece, cooked (yield from 1 lb raw meat, boneless)", 299))]
    assert to_grams(2, "", [Portion(9, 1, "oz", 28.35)], food_name="Game meat, rabbit, wild, raw",
                    line_text="2 cleaned rabbits", related_items=rabbit).grams is None


def test_counted_peppercorns_and_lemon_grass_have_typical_weights():
    """USDA weighs black pepper by the teaspoon only and calls peppercorns "pepper": the line's word finds the
    whole spice; a counted lemon grass is a stalk. "1 aji pepper" of the same food is no peppercorn."""
    pepper = [Portion(1, 1, "tsp, whole", 2.9)]
    assert to_grams(10, "", pepper, food_name="Spices, pepper, black",
                    line_text="10 black peppercorns").grams == pytest.approx(0.5)
    assert to_grams(1, "", pepper, food_name="Spices, pepper, black", line_text="1 aji pepper").grams is None
    assert to_grams(2, "", [Portion(2, 1, "tbsp", 4.8)], food_name="Lemon grass (citronella), raw",
                    line_text="2 lemongrass, bruised").grams == 40


def test_a_counted_vanilla_bean_weighs_a_pod():
    """SR28 has no vanilla bean: the extract stands in, and one bean counts the 4 g of a pod (was unconvertible)."""
    extract = [Portion(1, 1, "tsp", 4.2)]
    assert to_grams(1, "", extract, food_name="Vanilla extract", line_text="1 vanilla bean").grams == 4
    assert to_grams(1, "tsp", extract, food_name="Vanilla extract", line_text="1 tsp vanilla").grams == 4.2


def test_a_dried_relative_lends_no_whole_item():
    """A fresh egg yolk (17 g) is no dried yolk, nor a fresh banana (118 g) a dried one."""
    fresh = [("Bananas, raw", Portion(1, 1, "medium", 118))]
    assert to_grams(3, "", [Portion(9, 1, "cup", 100)], food_name="Bananas, dehydrated",
                    line_text="3 dried bananas", related_items=fresh).grams is None
    yolk = [("Egg, yolk, raw, fresh", Portion(1, 1, "large", 17))]
    assert to_grams(2, "", [Portion(9, 1, "tbsp", 5)], food_name="Egg, yolk, dried",
                    line_text="2 egg yolks", related_items=yolk).grams is None
