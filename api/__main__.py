"""`python -m api`: serve the API where the settings say."""

import uvicorn

from core.config import get_settings


def main() -> None:
    settings = get_settings()
    print(f"API: http://{settings.api_host}:{settings.api_port}  (docs at /docs)", flush=True)
    uvicorn.run(
        "api.main:app",
        host=settings.api_host,
        port=settings.api_port,
        log_level=settings.log_level,
    )


if __name__ == "__main__":
    main()
