"""Reading numbers people or URLs give us, without ever raising on odd input."""

import re

_SMALL_INT = re.compile(r"[0-9]{1,9}")


def small_int(value) -> int | None:
    """A plain ASCII number of at most 9 digits, else None. (str.isdigit() accepts "²".)"""
    text = value if isinstance(value, str) else ""
    return int(text) if _SMALL_INT.fullmatch(text) else None
