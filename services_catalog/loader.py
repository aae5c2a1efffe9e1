"""Read the catalogue's YAML content into a validated `Catalogue`, all or nothing."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from services_catalog.schemas import (
    Contact,
    ContactsFile,
    District,
    DistrictsFile,
    Need,
    NeedsFile,
    Service,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Catalogue:
    """The whole catalogue, validated and cross-checked."""

    services: tuple[Service, ...]
    districts: tuple[District, ...]
    ambiguous_neighbourhoods: dict[str, tuple[str, ...]]
    needs: tuple[Need, ...]
    city_contacts: tuple[Contact, ...]

    def content_hash(self) -> str:
        """A stable fingerprint of the content, to tell whether a reload changes anything."""
        digest = hashlib.sha256()
        for part in (*self.services, *self.districts, *self.needs, *self.city_contacts):
            digest.update(part.model_dump_json().encode())
        digest.update(repr(self.ambiguous_neighbourhoods).encode())
        return digest.hexdigest()


def ambiguous_map(places: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Straddling places in a canonical order (by name, districts sorted)."""
    return {name: tuple(sorted(slugs)) for name, slugs in sorted(places.items())}


@dataclass
class CatalogueError(Exception):
    """Everything wrong with the content, each problem as `file: field: what`."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.problems)


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(f".{item}" if parts else item)
    return "".join(parts) or "(top level)"


class _Reader:
    """Collects problems while reading, so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []

    def name(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def raw(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problems.append(f"{self.name(path)}: file is missing")
            return None
        except UnicodeDecodeError as error:
            self.problems.append(f"{self.name(path)}: not UTF-8 text ({error.reason})")
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            self.problems.append(f"{self.name(path)}: {where}{problem}")
            return None

    def model(self, path: Path, model: type[Model]) -> Model | None:
        known = len(self.problems)
        data = self.raw(path)
        if len(self.problems) > known:
            return None
        if data is None:
            self.problems.append(f"{self.name(path)}: file is empty")
            return None
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                self.problems.append(f"{self.name(path)}: {_location(item['loc'])}: {item['msg']}")
            return None


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def _cross_check(
    services: list[tuple[str, Service]],
    service_files: set[str],
    districts: DistrictsFile,
    needs: NeedsFile,
) -> list[str]:
    problems: list[str] = []
    district_slugs = {district.slug for district in districts.districts}
    need_slugs = {need.slug for need in needs.needs}
    for slug in _duplicates([district.slug for district in districts.districts]):
        problems.append(f"districts.yml: districts: slug {slug!r} appears twice")
    for slug in _duplicates([need.slug for need in needs.needs]):
        problems.append(f"needs.yml: needs: slug {slug!r} appears twice")
    loaded = {service.slug: service for _, service in services}
    for index, need in enumerate(needs.needs):
        for slug in need.suggest:
            if slug in service_files and slug not in loaded:
                continue  # its own file's problem is reported already
            if slug not in loaded or need.slug not in loaded[slug].needs:
                problems.append(
                    f"needs.yml: needs[{index}].suggest: {slug!r} is not a service for this need"
                )
    for name, slugs in districts.ambiguous_neighbourhoods.items():
        for slug in set(slugs) - district_slugs:
            problems.append(
                f"districts.yml: ambiguous_neighbourhoods.{name}: unknown district {slug!r}"
            )
    for file_name, service in services:
        expected = Path(file_name).stem
        if service.slug != expected:
            problems.append(f"{file_name}: slug: {service.slug!r} must match the file name")
        for index, need_slug in enumerate(service.needs):
            if need_slug not in need_slugs:
                problems.append(f"{file_name}: needs[{index}]: unknown need {need_slug!r}")
        for index, offer in enumerate(service.district_offers):
            if offer.district not in district_slugs:
                problems.append(
                    f"{file_name}: district_offers[{index}].district: "
                    f"unknown district {offer.district!r}"
                )
    return problems


def load_catalogue(root: Path = CONTENT_DIR) -> Catalogue:
    """Read and validate every content file; raise `CatalogueError` listing all problems."""
    reader = _Reader(root)
    districts = reader.model(root / "districts.yml", DistrictsFile)
    needs = reader.model(root / "needs.yml", NeedsFile)
    contacts = reader.model(root / "contacts.yml", ContactsFile)
    service_files = sorted((root / "services").glob("*.yml"))
    if not service_files:
        reader.problems.append("services/: no service files")
    services: list[tuple[str, Service]] = []
    for path in service_files:
        service = reader.model(path, Service)
        if service is not None:
            services.append((reader.name(path), service))
    if districts is not None and needs is not None:
        stems = {path.stem for path in service_files}
        reader.problems.extend(_cross_check(services, stems, districts, needs))
    if reader.problems or districts is None or needs is None or contacts is None:
        raise CatalogueError(reader.problems)
    return Catalogue(
        services=tuple(service for _, service in services),
        districts=tuple(districts.districts),
        ambiguous_neighbourhoods=ambiguous_map(districts.ambiguous_neighbourhoods),
        needs=tuple(needs.needs),
        city_contacts=tuple(contacts.contacts),
    )
