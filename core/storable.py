"""Free text we accept: only what every database can store and UTF-8 can write."""

from __future__ import annotations

from pydantic import AfterValidator


def _storable(value: str) -> str:
    # PostgreSQL cannot store NUL in text; a lone UTF-16 surrogate (JSON "\ud800") is no
    # character at all and cannot be written as UTF-8 to a database, a log or a response.
    if "\x00" in value:
        raise ValueError("the text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text must be valid Unicode (no lone surrogates)") from None
    return value


# Add to any free-text field: `Annotated[str, StringConstraints(...), Storable]`.
Storable = AfterValidator(_storable)
