"""The catalogue's tables. Content is replaced whole by `services_catalog load`."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.database import Base

JsonList = list[dict[str, Any]]


class DistrictRow(Base):
    __tablename__ = "district"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(6), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    contacts: Mapped[JsonList] = mapped_column(JSON, default=list)
    notes: Mapped[JsonList] = mapped_column(JSON, default=list)

    neighbourhoods: Mapped[list["NeighbourhoodRow"]] = relationship(
        cascade="all, delete-orphan", order_by="NeighbourhoodRow.position"
    )


class NeighbourhoodRow(Base):
    """A place people name instead of the district.

    `ambiguous` ones straddle a border; `listed` is False for a straddling place that the
    district's own neighbourhood list does not name.
    """

    __tablename__ = "neighbourhood"
    __table_args__ = (UniqueConstraint("name", "district_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district_slug: Mapped[str] = mapped_column(ForeignKey("district.slug", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    ambiguous: Mapped[bool] = mapped_column(default=False)
    listed: Mapped[bool] = mapped_column(default=True)


class NeedRow(Base):
    __tablename__ = "need"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    name_en: Mapped[str | None] = mapped_column(String(200))
    words: Mapped[list[str]] = mapped_column(JSON, default=list)
    suggest: Mapped[list[str]] = mapped_column(JSON, default=list)


class ServiceRow(Base):
    __tablename__ = "service"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary_nb: Mapped[str] = mapped_column(Text)
    summary_nn: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    contacts: Mapped[JsonList] = mapped_column(JSON, default=list)

    needs: Mapped[list["ServiceNeedRow"]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceNeedRow.position"
    )
    facts: Mapped[list["ServiceFactRow"]] = relationship(cascade="all, delete-orphan")
    district_offers: Mapped[list["DistrictOfferRow"]] = relationship(
        cascade="all, delete-orphan", order_by="DistrictOfferRow.position"
    )


class ServiceNeedRow(Base):
    __tablename__ = "service_need"

    service_slug: Mapped[str] = mapped_column(
        ForeignKey("service.slug", ondelete="CASCADE"), primary_key=True
    )
    need_slug: Mapped[str] = mapped_column(ForeignKey("need.slug"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ServiceFactRow(Base):
    """One sourced fact of a service; `kind` is a `FactKind` value."""

    __tablename__ = "service_fact"

    service_slug: Mapped[str] = mapped_column(
        ForeignKey("service.slug", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(2000))
    checked_on: Mapped[date] = mapped_column(Date)
    certainty: Mapped[str] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column(Integer)


class DistrictOfferRow(Base):
    """A district's own version of a service (a named day centre, a local team)."""

    __tablename__ = "district_offer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_slug: Mapped[str] = mapped_column(ForeignKey("service.slug", ondelete="CASCADE"))
    district_slug: Mapped[str] = mapped_column(ForeignKey("district.slug"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(2000))
    checked_on: Mapped[date] = mapped_column(Date)
    certainty: Mapped[str] = mapped_column(String(16))


class CityContactRow(Base):
    __tablename__ = "city_contact"

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class CatalogueVersionRow(Base):
    """The one row that says which content is loaded; readers poll it to refresh."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
