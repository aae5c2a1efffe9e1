from typing import Annotated

from fastapi import APIRouter, Query

from api.catalogue import Catalogue
from api.facts import ContactOut, contact_out
from api.pagination import Page, Paging, paginate
from api.services import service
from api.services.schemas import NeedOut, ServiceOut, ServiceSummaryOut
from api.slugs import SlugPath, SlugQuery

router = APIRouter(prefix="/api", tags=["services"])


@router.get("/services", response_model=Page[ServiceSummaryOut])
async def list_services(
    catalogue: Catalogue,
    paging: Paging,
    q: Annotated[
        str | None, Query(max_length=200, description="Name, alias or need; typos ok")
    ] = None,
    need: SlugQuery = None,
    district: SlugQuery = None,
) -> Page[ServiceSummaryOut]:
    """All services, or those matching a search (best first) and/or a need tag."""
    return paginate(service.search_services(catalogue, q, need, district), paging)


@router.get("/services/{slug}", response_model=ServiceOut)
async def get_service(
    catalogue: Catalogue, slug: SlugPath, district: SlugQuery = None
) -> ServiceOut:
    """One service with its sourced facts; `district` narrows offers and contacts to it."""
    return service.service_out(catalogue, service.get_service(catalogue, slug), district)


@router.get("/needs", response_model=list[NeedOut])
async def list_needs(catalogue: Catalogue) -> list[NeedOut]:
    """Need tags, each with the services that answer it."""
    return service.list_needs(catalogue)


@router.get("/contacts", response_model=list[ContactOut])
async def list_city_contacts(catalogue: Catalogue) -> list[ContactOut]:
    """City-wide numbers: 113, the legevakt, the switchboard, helplines."""
    return [contact_out(contact) for contact in catalogue.catalogue.city_contacts]
