"""A plan's shopping: the list in a shopper's words (lists), what the plan costs against the
budget (costs) and the CSV people open in a spreadsheet (spreadsheet)."""
