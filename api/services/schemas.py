from pydantic import BaseModel

from api.districts.schemas import DistrictRef
from api.facts import ContactOut, FactOut


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


class ServiceOut(ServiceSummaryOut):
    who: FactOut
    how_to_apply: FactOut
    cost: FactOut
    legal_basis: FactOut
    where_to_ask: FactOut
    contacts: list[ContactOut]
    district: DistrictRef | None
    district_contacts: list[ContactOut]
    district_offers: list[DistrictOfferOut]


class NeedOut(BaseModel):
    slug: str
    name: str
    services: list[str]
