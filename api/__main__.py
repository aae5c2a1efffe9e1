"""`python -m api`: serve the API where the settings say."""

from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from core.config import get_settings
from core.logs import with_log_filters


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, with personal data filtered out, also for the app's own loggers."""
    config = with_log_filters(LOGGING_CONFIG)
    return {**config, "root": {"handlers": ["default"], "level": level.upper()}}


def main() -> None:
    settings = get_settings()
    print(f"API: http://{settings.api_host}:{settings.api_port}  (docs at /docs)", flush=True)
    uvicorn.run(
        "api.main:app",
        host=settings.api_host,
        port=settings.api_port,
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
    )


if __name__ == "__main__":
    main()
