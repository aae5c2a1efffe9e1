"""Service search and look-up over the catalogue snapshot."""

from api.districts.service import district_ref, get_district
from api.facts import contact_out, fact_out
from api.problems import ApiError
from api.services.schemas import (
    DistrictOfferOut,
    NeedOut,
    ServiceOut,
    ServiceSummaryOut,
    SummaryOut,
)
from services_catalog.schemas import FactKind, Service
from services_catalog.snapshot import CatalogueSnapshot


def summary_out(
    service: Service, score: float | None = None, matched: str | None = None
) -> ServiceSummaryOut:
    return ServiceSummaryOut(
        slug=service.slug,
        name=service.name,
        name_en=service.name_en,
        aliases=list(service.aliases),
        needs=list(service.needs),
        summary=SummaryOut(**service.summary.model_dump()),
        url=f"/api/services/{service.slug}",
        score=round(score, 1) if score is not None else None,
        matched=matched,
    )


def search_services(
    catalogue: CatalogueSnapshot, query: str | None, need: str | None, district: str | None
) -> list[ServiceSummaryOut]:
    """Services matching the query (best first) and need; all of them when neither is given.

    With a district, each service lists that district's own offers by name.
    """
    if need is not None and need not in catalogue.needs:
        raise ApiError(422, f"There is no need tag {need!r}. See /api/needs.")
    if district is not None:
        get_district(catalogue, district)
    found: list[tuple[Service, float | None, str | None]]
    if query and query.strip():
        found = [(hit.service, hit.score, hit.matched) for hit in catalogue.search.search(query)]
    else:
        found = [(service, None, None) for service in catalogue.services.values()]
    return [
        summary_out(service, score, matched).model_copy(
            update={
                "local_offers": [o.name for o in service.district_offers if o.district == district]
            }
        )
        for service, score, matched in found
        if need is None or need in service.needs
    ]


def get_service(catalogue: CatalogueSnapshot, slug: str) -> Service:
    service = catalogue.services.get(slug)
    if service is not None:
        return service
    hits = catalogue.search.search(slug.replace("-", " "))
    hint = f" Did you mean {hits[0].service.slug!r}?" if hits else ""
    raise ApiError(404, f"There is no service with the slug {slug!r}.{hint} See /api/services.")


def service_out(
    catalogue: CatalogueSnapshot, service: Service, district_slug: str | None
) -> ServiceOut:
    """A service with every fact; with a district, only that district's offers and contacts."""
    district = get_district(catalogue, district_slug) if district_slug else None
    offers = [
        offer
        for offer in service.district_offers
        if district is None or offer.district == district.slug
    ]
    return ServiceOut(
        **summary_out(service).model_dump(),
        **{kind.value: fact_out(service.fact(kind)) for kind in FactKind},
        contacts=[contact_out(contact) for contact in service.contacts],
        district=district_ref(district) if district else None,
        district_contacts=[contact_out(c) for c in district.contacts] if district else [],
        district_offers=[
            DistrictOfferOut(
                district=district_ref(catalogue.districts[offer.district]),
                name=offer.name,
                description=offer.description,
                contact=contact_out(offer.contact) if offer.contact else None,
                source=str(offer.source) if offer.source else None,
                checked_on=offer.checked_on.isoformat(),
                certainty=offer.certainty.value,
            )
            for offer in offers
        ],
    )


def list_needs(catalogue: CatalogueSnapshot) -> list[NeedOut]:
    return [
        NeedOut(
            slug=need.slug,
            name=need.name,
            services=[s.slug for s in catalogue.services.values() if need.slug in s.needs],
        )
        for need in catalogue.needs.values()
    ]
