"""District look-ups over the catalogue snapshot."""

from api.districts.schemas import (
    DistrictOut,
    DistrictRef,
    PlaceResolution,
    ResolutionStatus,
    StraddlingPlace,
)
from api.facts import contact_out, fact_out
from api.problems import ApiError
from api.texts import TEXTS
from services_catalog.places import PlaceStatus
from services_catalog.schemas import District
from services_catalog.snapshot import CatalogueSnapshot


def district_ref(district: District) -> DistrictRef:
    return DistrictRef(
        slug=district.slug, name=district.name, url=f"/api/districts/{district.slug}"
    )


def get_district(catalogue: CatalogueSnapshot, slug: str) -> District:
    district = catalogue.districts.get(slug)
    if district is None:
        raise ApiError(404, f"There is no district with the slug {slug!r}. See /api/districts.")
    return district


def district_out(catalogue: CatalogueSnapshot, district: District) -> DistrictOut:
    straddling = [
        StraddlingPlace(
            name=name, districts=[district_ref(catalogue.districts[slug]) for slug in slugs]
        )
        for name, slugs in catalogue.catalogue.ambiguous_neighbourhoods.items()
        if district.slug in slugs
    ]
    return DistrictOut(
        **district_ref(district).model_dump(),
        code=district.code,
        neighbourhoods=list(district.neighbourhoods),
        straddling_neighbourhoods=straddling,
        contacts=[contact_out(contact) for contact in district.contacts],
        notes=[fact_out(note) for note in district.notes],
    )


def resolve_place(catalogue: CatalogueSnapshot, place: str) -> PlaceResolution:
    match = catalogue.places.resolve(place)
    refs = [district_ref(district) for district in match.districts]
    if match.status is PlaceStatus.found:
        message = TEXTS["place_found"]["nb"].format(place=match.matched, district=refs[0].name)
    elif match.status is PlaceStatus.ambiguous:
        names = " eller ".join(ref.name for ref in refs)
        message = TEXTS["place_ambiguous"]["nb"].format(place=match.matched, districts=names)
    else:
        message = TEXTS["place_unknown"]["nb"]
    return PlaceResolution(
        query=place,
        status=ResolutionStatus(match.status.value),
        matched=match.matched,
        district=refs[0] if match.status is PlaceStatus.found else None,
        candidates=refs if match.status is PlaceStatus.ambiguous else [],
        message=message,
    )
