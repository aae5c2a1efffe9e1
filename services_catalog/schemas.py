"""The catalogue's content model: what a YAML file in `content/` may hold.

Every fact carries where it comes from (`source`) and when a person last checked
it (`checked_on`). A fact nobody could source is written as `null`: the API and
the assistant then say it is not known and point to the district. A fact the facts
dossier knows without a stored page (a national rule from law, a number from a named
but unlinked article) has no `source` URL; it is then never `confirmed`, and its text
says where it comes from ("Dette er en nasjonal regel.").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    create_model,
    model_validator,
)

from core.slugs import Slug

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1200)]

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ]{1,14}[0-9]$")
ModelT = TypeVar("ModelT", bound=BaseModel)


class Content(BaseModel):
    """Strict base: unknown keys are typos, and typos must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Certainty(StrEnum):
    """How sure the catalogue is of a fact (the markers of shared/facts)."""

    confirmed = "confirmed"  # stated on an Oslo kommune (or official) page
    uncertain = "uncertain"  # older, third-party or possibly changed since
    general = "general"  # a national rule or another municipality's page; not confirmed for Oslo


class Sourced(Content):
    """Where something comes from, when it was checked, and how sure it is."""

    source: HttpUrl | None = None
    checked_on: date
    certainty: Certainty = Certainty.confirmed

    @model_validator(mode="after")
    def _unsourced_is_not_confirmed(self) -> Sourced:
        if self.source is None and self.certainty is Certainty.confirmed:
            raise ValueError("without a source URL, certainty must be uncertain or general")
        return self


class Fact(Sourced):
    """One sourced statement, in plain bokmål."""

    text: LongText


class Cost(Fact):
    """What a service costs; `year` is the year the figures are from, if any."""

    year: int | None = Field(default=None, ge=2000, le=2100)


class FactKind(StrEnum):
    """The sourced facts every service states, in the order its content file lists them.

    The one list of them: the content model, the database, the API and the assistant's
    questions, headings and buttons all follow it (docs/how-to-add-a-fact-kind.md).
    """

    who = "who"
    how_to_apply = "how_to_apply"
    cost = "cost"
    legal_basis = "legal_basis"
    where_to_ask = "where_to_ask"

    @property
    def model(self) -> type[Fact]:
        """What the fact is read as: a cost also says the year of its figures."""
        return Cost if self is FactKind.cost else Fact


def with_fact_fields(base: type[ModelT], field_type: Callable[[FactKind], Any]) -> type[ModelT]:
    """`base` and then one required field per fact kind, named and ordered as `FactKind`."""
    fields: dict[str, Any] = {kind.value: (field_type(kind), ...) for kind in FactKind}
    return create_model(f"{base.__name__}Facts", __base__=base, **fields)


class Summary(Content):
    """What a service is: 2-4 short sentences; bokmål required, nynorsk and English welcome."""

    nb: LongText
    nn: LongText | None = None
    en: LongText | None = None


class Contact(Sourced):
    """A way to reach a place or person, with its source; `key` names well-known ones."""

    key: Slug | None = None
    label: ShortText
    phone: str | None = None
    email: str | None = None
    address: ShortText | None = None
    opening_hours: ShortText | None = None

    @model_validator(mode="after")
    def _has_a_way_to_reach(self) -> Contact:
        if not (self.phone or self.email or self.address):
            raise ValueError("a contact needs a phone, an email or an address")
        if self.phone and not PHONE_PATTERN.match(self.phone):
            raise ValueError(f"phone {self.phone!r} is not a phone number (digits and spaces)")
        if self.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", self.email):
            raise ValueError(f"email {self.email!r} is not an e-mail address")
        return self


class DistrictOffer(Sourced):
    """A district's own version of a service: a named day centre, a local team."""

    district: Slug
    name: ShortText
    description: LongText
    contact: Contact | None = None


class ServiceHead(Content):
    """What a service is called and what it is: the fields before its facts."""

    slug: Slug
    name: ShortText
    name_en: ShortText | None = None
    aliases: list[ShortText] = []
    needs: list[Slug] = Field(min_length=1)
    summary: Summary


if not TYPE_CHECKING:
    ServiceWithFacts = with_fact_fields(ServiceHead, lambda kind: kind.model | None)
else:  # the type checker reads the facts through `Service.fact`, not as fields

    class ServiceWithFacts(ServiceHead):
        """`ServiceHead` and a field per fact kind."""


class Service(ServiceWithFacts):
    """One service in `content/services/<slug>.yml`."""

    contacts: list[Contact] = []
    district_offers: list[DistrictOffer] = []

    def fact(self, kind: FactKind) -> Fact | None:
        """The service's fact of this kind (a `Cost` for the cost), None when not known."""
        fact: Fact | None = getattr(self, kind.value)
        return fact


class Need(Content):
    """A need tag: what a person describes before they know a service's name.

    `words` are how people put it, in bokmål, nynorsk or English: a word stem matches
    every word it starts ("glem" finds "glemmer", "glemsk"); a phrase matches its words
    in order, with up to two other words between them ("kommer seg ut" finds "kommer seg
    ikke ut"). `suggest` is the order in which to offer this need's services.
    """

    slug: Slug
    name: ShortText
    name_en: ShortText | None = None
    words: list[ShortText] = []
    suggest: list[Slug] = []


class District(Content):
    """One of Oslo's 15 districts (bydeler)."""

    slug: Slug
    name: ShortText
    code: Annotated[str, StringConstraints(pattern=r"^0301[0-9]{2}$")]
    neighbourhoods: list[ShortText] = Field(min_length=1)
    contacts: list[Contact] = []
    notes: list[Fact] = []


class DistrictsFile(Content):
    """`content/districts.yml`: the districts and the neighbourhoods that straddle a border."""

    districts: list[District] = Field(min_length=1)
    ambiguous_neighbourhoods: dict[ShortText, list[Slug]] = {}


class NeedsFile(Content):
    """`content/needs.yml`: the need tags."""

    needs: list[Need] = Field(min_length=1)


class ContactsFile(Content):
    """`content/contacts.yml`: city-wide numbers (113, legevakt, switchboard, helplines)."""

    contacts: list[Contact] = Field(min_length=1)
