"""Store a `Catalogue` in the database and read it back.

`save_catalogue` replaces all content inside the caller's transaction, so readers
see either the old catalogue or the new one, never half of each.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, inspect, select, text
from sqlalchemy.orm import Session, selectinload

from services_catalog.loader import Catalogue, ambiguous_map
from services_catalog.models import (
    CatalogueVersionRow,
    CityContactRow,
    DistrictOfferRow,
    DistrictRow,
    NeedRow,
    NeighbourhoodRow,
    ServiceFactRow,
    ServiceNeedRow,
    ServiceRow,
)
from services_catalog.schemas import (
    Contact,
    Cost,
    District,
    DistrictOffer,
    Fact,
    FactKind,
    Need,
    Service,
    Summary,
)


def _json(model: Contact | Fact) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def _fact_row(slug: str, kind: FactKind, fact: Fact) -> ServiceFactRow:
    # A fact without a source URL (a national rule) is stored with an empty source.
    return ServiceFactRow(
        service_slug=slug,
        kind=kind.value,
        text=fact.text,
        source=str(fact.source or ""),
        checked_on=fact.checked_on,
        certainty=fact.certainty.value,
        year=fact.year if isinstance(fact, Cost) else None,
    )


def _service_row(position: int, service: Service) -> ServiceRow:
    facts = [(kind, service.fact(kind)) for kind in FactKind]
    return ServiceRow(
        slug=service.slug,
        name=service.name,
        name_en=service.name_en,
        position=position,
        aliases=list(service.aliases),
        summary_nb=service.summary.nb,
        summary_nn=service.summary.nn,
        summary_en=service.summary.en,
        contacts=[_json(contact) for contact in service.contacts],
        needs=[
            ServiceNeedRow(need_slug=need, position=index)
            for index, need in enumerate(service.needs)
        ],
        facts=[_fact_row(service.slug, kind, fact) for kind, fact in facts if fact is not None],
        district_offers=[
            DistrictOfferRow(
                district_slug=offer.district,
                position=index,
                name=offer.name,
                description=offer.description,
                contact=_json(offer.contact) if offer.contact else None,
                source=str(offer.source or ""),
                checked_on=offer.checked_on,
                certainty=offer.certainty.value,
            )
            for index, offer in enumerate(service.district_offers)
        ],
    )


def _district_row(position: int, district: District, ambiguous: set[str]) -> DistrictRow:
    return DistrictRow(
        slug=district.slug,
        name=district.name,
        code=district.code,
        position=position,
        contacts=[_json(contact) for contact in district.contacts],
        notes=[_json(note) for note in district.notes],
        neighbourhoods=[
            NeighbourhoodRow(name=name, position=index, ambiguous=name in ambiguous)
            for index, name in enumerate(district.neighbourhoods)
        ],
    )


def _ambiguous_rows(catalogue: Catalogue) -> list[NeighbourhoodRow]:
    """Straddling neighbourhoods not already listed under each of their districts."""
    listed = {(name, d.slug) for d in catalogue.districts for name in d.neighbourhoods}
    return [
        NeighbourhoodRow(
            name=name, district_slug=slug, position=index, ambiguous=True, listed=False
        )
        for index, (name, slugs) in enumerate(catalogue.ambiguous_neighbourhoods.items())
        for slug in slugs
        if (name, slug) not in listed
    ]


def _schema_revision(session: Session) -> str:
    if not inspect(session.connection()).has_table("alembic_version"):
        return ""
    return str(session.scalar(text("SELECT version_num FROM alembic_version")) or "")


def fingerprint(session: Session, catalogue: Catalogue) -> str:
    """The content and the schema it is stored in: a migration forces a reload."""
    key = f"{catalogue.content_hash()}@{_schema_revision(session)}"
    return hashlib.sha256(key.encode()).hexdigest()


def save_catalogue(session: Session, catalogue: Catalogue) -> bool:
    """Replace the stored catalogue with `catalogue`; False when it was already loaded."""
    content_hash = fingerprint(session, catalogue)
    version = session.get(CatalogueVersionRow, 1)
    if version is not None and version.content_hash == content_hash:
        return False
    for table in (
        CityContactRow,
        ServiceFactRow,
        ServiceNeedRow,
        DistrictOfferRow,
        ServiceRow,
        NeedRow,
        NeighbourhoodRow,
        DistrictRow,
    ):
        session.execute(delete(table))
    ambiguous = set(catalogue.ambiguous_neighbourhoods)
    session.add_all(
        _district_row(index, district, ambiguous)
        for index, district in enumerate(catalogue.districts)
    )
    session.flush()
    session.add_all(_ambiguous_rows(catalogue))
    session.add_all(
        NeedRow(
            slug=need.slug,
            name=need.name,
            position=index,
            name_en=need.name_en,
            words=list(need.words),
            suggest=list(need.suggest),
        )
        for index, need in enumerate(catalogue.needs)
    )
    session.flush()
    session.add_all(
        _service_row(index, service) for index, service in enumerate(catalogue.services)
    )
    session.add_all(
        CityContactRow(position=index, body=_json(contact))
        for index, contact in enumerate(catalogue.city_contacts)
    )
    now = datetime.now(UTC)
    if version is None:
        session.add(CatalogueVersionRow(id=1, content_hash=content_hash, loaded_at=now))
    else:
        version.content_hash = content_hash
        version.loaded_at = now
    session.flush()
    return True


def stored_version(session: Session) -> str | None:
    """The content hash of the stored catalogue, None when nothing is loaded."""
    if not inspect(session.connection()).has_table(CatalogueVersionRow.__tablename__):
        return None
    query = select(CatalogueVersionRow.content_hash).where(CatalogueVersionRow.id == 1)
    return session.scalar(query)


def _fact(row: ServiceFactRow) -> Fact:
    common: dict[str, Any] = {
        "text": row.text,
        "source": row.source or None,
        "checked_on": row.checked_on,
        "certainty": row.certainty,
    }
    if row.kind == FactKind.cost:
        return Cost(**common, year=row.year)
    return Fact(**common)


def _service(row: ServiceRow) -> Service:
    facts = {fact.kind: _fact(fact) for fact in row.facts}
    return Service(
        slug=row.slug,
        name=row.name,
        name_en=row.name_en,
        aliases=row.aliases,
        needs=[need.need_slug for need in row.needs],
        summary=Summary(nb=row.summary_nb, nn=row.summary_nn, en=row.summary_en),
        contacts=[Contact.model_validate(contact) for contact in row.contacts],
        district_offers=[
            DistrictOffer(
                district=offer.district_slug,
                name=offer.name,
                description=offer.description,
                contact=Contact.model_validate(offer.contact) if offer.contact else None,
                source=offer.source or None,
                checked_on=offer.checked_on,
                certainty=offer.certainty,
            )
            for offer in row.district_offers
        ],
        **{kind.value: facts.get(kind) for kind in FactKind},
    )


def read_catalogue(session: Session) -> Catalogue | None:
    """The stored catalogue, or None when nothing has been loaded yet."""
    if stored_version(session) is None:
        return None
    districts = session.scalars(
        select(DistrictRow)
        .options(selectinload(DistrictRow.neighbourhoods))
        .order_by(DistrictRow.position)
    ).all()
    services = session.scalars(
        select(ServiceRow)
        .options(
            selectinload(ServiceRow.needs),
            selectinload(ServiceRow.facts),
            selectinload(ServiceRow.district_offers),
        )
        .order_by(ServiceRow.position)
    ).all()
    needs = session.scalars(select(NeedRow).order_by(NeedRow.position)).all()
    contacts = session.scalars(select(CityContactRow).order_by(CityContactRow.position)).all()
    ambiguous: dict[str, list[str]] = {}
    for district in districts:
        for hood in district.neighbourhoods:
            if hood.ambiguous:
                ambiguous.setdefault(hood.name, []).append(district.slug)
    return Catalogue(
        services=tuple(_service(row) for row in services),
        districts=tuple(
            District(
                slug=row.slug,
                name=row.name,
                code=row.code,
                neighbourhoods=[hood.name for hood in row.neighbourhoods if hood.listed],
                contacts=[Contact.model_validate(contact) for contact in row.contacts],
                notes=[Fact.model_validate(note) for note in row.notes],
            )
            for row in districts
        ),
        ambiguous_neighbourhoods=ambiguous_map(ambiguous),
        needs=tuple(
            Need(
                slug=row.slug,
                name=row.name,
                name_en=row.name_en,
                words=row.words,
                suggest=row.suggest,
            )
            for row in needs
        ),
        city_contacts=tuple(Contact.model_validate(row.body) for row in contacts),
    )
