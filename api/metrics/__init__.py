"""Prometheus metrics of the API, at /metrics behind a token."""
