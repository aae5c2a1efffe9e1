"""The public HTTP API (FastAPI), organised by feature."""
