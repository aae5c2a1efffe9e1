from enum import StrEnum

from pydantic import BaseModel

from api.facts import ContactOut, FactOut


class DistrictRef(BaseModel):
    slug: str
    name: str
    url: str


class StraddlingPlace(BaseModel):
    """A neighbourhood that lies in more than one district: ask, don't guess."""

    name: str
    districts: list[DistrictRef]


class DistrictOut(DistrictRef):
    code: str
    neighbourhoods: list[str]
    straddling_neighbourhoods: list[StraddlingPlace]
    contacts: list[ContactOut]
    notes: list[FactOut]


class ResolutionStatus(StrEnum):
    found = "found"
    ambiguous = "ambiguous"
    not_found = "not_found"


class PlaceResolution(BaseModel):
    query: str
    status: ResolutionStatus
    matched: str | None
    district: DistrictRef | None
    candidates: list[DistrictRef]
    message: str
