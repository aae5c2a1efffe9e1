from typing import Annotated

from fastapi import APIRouter, Query

from api.catalogue import Catalogue
from api.districts import service
from api.districts.schemas import DistrictOut, PlaceResolution
from api.pagination import Page, Paging, paginate
from api.slugs import SlugPath

router = APIRouter(prefix="/api/districts", tags=["districts"])


@router.get("", response_model=Page[DistrictOut])
async def list_districts(catalogue: Catalogue, paging: Paging) -> Page[DistrictOut]:
    """Oslo's 15 districts with their neighbourhoods and known contacts."""
    districts = [service.district_out(catalogue, d) for d in catalogue.districts.values()]
    return paginate(districts, paging)


@router.get("/resolve", response_model=PlaceResolution)
async def resolve_place(
    catalogue: Catalogue,
    place: Annotated[str, Query(min_length=1, max_length=100, description="A place or district")],
) -> PlaceResolution:
    """Which district a place belongs to; candidates when it straddles a border."""
    return service.resolve_place(catalogue, place)


@router.get("/{slug}", response_model=DistrictOut)
async def get_district(catalogue: Catalogue, slug: SlugPath) -> DistrictOut:
    return service.district_out(catalogue, service.get_district(catalogue, slug))
