"""Strict CSV reading: every problem is reported with the file name and line number.

Imports validate everything before writing, so a malformed file must be
caught while reading, with a message an operator can act on.
"""

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path


class DataFileError(ValueError):
    """A data file is missing, malformed or inconsistent; the message names file and line."""


def read_rows(path: Path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row, checking columns and field counts."""
    if not path.is_file():
        raise DataFileError(f"{path.name}: file not found in {path.parent}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in required if column not in header]
            if missing:
                raise DataFileError(f"{path.name} line 1: missing column(s) {', '.join(missing)}")
            for row in reader:
                if None in row or None in row.values():
                    problem = "too many" if None in row else "too few"
                    raise DataFileError(
                        f"{path.name} line {reader.line_num}: {problem} fields (the header has {len(header)})"
                    )
                yield reader.line_num, row
    except csv.Error as error:
        raise DataFileError(f"{path.name} line {reader.line_num}: {error}") from error
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path.name}: not UTF-8 text ({error.reason})") from error


def parse_number(value: str, *, where: str, column: str, positive: bool = False) -> float:
    """A non-negative (or strictly positive) finite number, or a DataFileError naming the spot."""
    try:
        number = float(value)
    except ValueError:
        raise DataFileError(f"{where}: {column} {value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise DataFileError(f"{where}: {column} {value!r} is not a finite number")
    if number < 0 or (positive and number == 0):
        raise DataFileError(f"{where}: {column} {value!r} must be {'positive' if positive else '0 or more'}")
    return number
