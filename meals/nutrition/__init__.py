"""The nutrition engine: an ingredient name matched to a USDA food (matching, ranked by
food_scoring), per-serving nutrients (arithmetic, over the stored nutrients), allergens and diets
from foods (allergens); its benches (dev_set, bench_allergens) and what a web worker loads when it
starts (warmup)."""
