"""The API's dependency on the catalogue snapshot."""

from typing import Annotated

from fastapi import Depends, Request

from api.problems import ApiError
from services_catalog.snapshot import CatalogueSnapshot


def current_catalogue(request: Request) -> CatalogueSnapshot:
    snapshot: CatalogueSnapshot | None = request.app.state.catalogue.snapshot
    if snapshot is None:
        raise ApiError(503, "The catalogue is not loaded yet. Run `make catalogue`.")
    return snapshot


Catalogue = Annotated[CatalogueSnapshot, Depends(current_catalogue)]
