"""CSV files that people open in a spreadsheet.

Excel, LibreOffice and Google Sheets read a cell starting with `=`, `+`, `-` or `@`
as a formula (and skip a leading tab or carriage return before looking), so an
ingredient line such as `=HYPERLINK(...)` from an imported page would run as one.
Such cells get a leading apostrophe, which spreadsheets show as the text typed
(OWASP "CSV injection").
"""

import csv

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """`cell` as a spreadsheet will show it literally; numbers pass unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


class FormulaSafeWriter:
    """`csv.writer` whose every text cell goes through `neutralise`."""

    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, row):
        self._writer.writerow([neutralise(cell) for cell in row])
