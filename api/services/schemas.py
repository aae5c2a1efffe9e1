from typing import TYPE_CHECKING

from pydantic import BaseModel

from api.districts.schemas import DistrictRef
from api.facts import ContactOut, FactOut
from services_catalog.schemas import with_fact_fields


class SummaryOut(BaseModel):
    nb: str
    nn: str | None
    en: str | None


class ServiceSummaryOut(BaseModel):
    slug: str
    name: str
    name_en: str | None
    aliases: list[str]
    needs: list[str]
    summary: SummaryOut
    url: str
    score: float | None = None
    matched: str | None = None
    local_offers: list[str] = []


class DistrictOfferOut(BaseModel):
    district: DistrictRef
    name: str
    description: str
    contact: ContactOut | None
    source: str | None = None
    checked_on: str
    certainty: str


if not TYPE_CHECKING:
    ServiceSummaryWithFacts = with_fact_fields(ServiceSummaryOut, lambda _: FactOut)
else:  # the type checker needs no field per fact kind

    class ServiceSummaryWithFacts(ServiceSummaryOut):
        """`ServiceSummaryOut` and a field per fact kind."""


class ServiceOut(ServiceSummaryWithFacts):
    contacts: list[ContactOut]
    district: DistrictRef | None
    district_contacts: list[ContactOut]
    district_offers: list[DistrictOfferOut]


class NeedOut(BaseModel):
    slug: str
    name: str
    services: list[str]
