"""Ingredient lines and yields as people write them, read into plain data (pure): the line parser
(ingredients, with NLTK's tagger, postagger, and English plurals, words), lines without an amount
(amountless), servings from a yield (servings), grams of a quantity (units) and lines scaled to
the servings someone cooks (scaling)."""
