"""Figures for the service owner: events folded into aggregates that keep no personal data."""
