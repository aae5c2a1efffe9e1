"""An in-memory, read-only view of one loaded catalogue, with its search indexes."""

from services_catalog.loader import Catalogue
from services_catalog.needs import NeedMatcher
from services_catalog.places import PlaceResolver
from services_catalog.search import ServiceSearch


class CatalogueSnapshot:
    """Lookups by slug, service search and place resolution over one catalogue version."""

    def __init__(self, catalogue: Catalogue, version: str) -> None:
        self.catalogue = catalogue
        self.version = version
        self.services = {service.slug: service for service in catalogue.services}
        self.districts = {district.slug: district for district in catalogue.districts}
        self.needs = {need.slug: need for need in catalogue.needs}
        self.search = ServiceSearch(catalogue.services, catalogue.needs)
        self.need_matcher = NeedMatcher(catalogue.needs, catalogue.services)
        self.places = PlaceResolver(catalogue.districts, catalogue.ambiguous_neighbourhoods)
