"""A slug: the stable id of a service, a need or a district (README, "Content").

The catalogue's keys, the contract's `slug` (shared/contract), a segment of an API path and the
district of a handoff are all slugs: lower-case letters and digits, in words joined by single
hyphens (`tt-kort`, `st-hanshaugen`), at most 64 characters. The pattern and the length live
here; the catalogue's content model and the handoff use `Slug`, the API's paths and queries
take the two constants (api/slugs.py).
"""

from typing import Annotated

from pydantic import StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 64
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)]
