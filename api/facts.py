"""How the API shows a sourced fact, including one nobody could source."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from api.texts import TEXTS
from services_catalog.schemas import Contact, Cost, Fact


class FactOut(BaseModel):
    known: bool
    text: str
    source: str | None = None
    checked_on: date | None = None
    certainty: str | None = None
    year: int | None = None


class ContactOut(BaseModel):
    key: str | None = None  # emergency, legevakt or switchboard for the well-known numbers
    label: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    opening_hours: str | None = None
    source: str | None = None
    checked_on: date
    certainty: str


def fact_out(fact: Fact | None) -> FactOut:
    """A fact as shown to callers; an unknown one says so and points to the district."""
    if fact is None:
        return FactOut(known=False, text=TEXTS["unknown_fact"]["nb"])
    return FactOut(
        known=True,
        text=fact.text,
        source=str(fact.source) if fact.source else None,
        checked_on=fact.checked_on,
        certainty=fact.certainty.value,
        year=fact.year if isinstance(fact, Cost) else None,
    )


def contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        **contact.model_dump(exclude={"source", "certainty"}),
        source=str(contact.source) if contact.source else None,
        certainty=contact.certainty.value,
    )
