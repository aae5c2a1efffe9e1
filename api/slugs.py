"""A slug in a URL, as a path segment or a query parameter: checked as core/slugs.py says."""

from typing import Annotated

from fastapi import Path, Query

from core.slugs import SLUG_MAX_LENGTH, SLUG_PATTERN

SlugPath = Annotated[str, Path(max_length=SLUG_MAX_LENGTH, pattern=SLUG_PATTERN)]
SlugQuery = Annotated[str | None, Query(max_length=SLUG_MAX_LENGTH, pattern=SLUG_PATTERN)]
