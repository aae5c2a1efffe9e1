"""The catalogue of the districts' health and care services for seniors in Oslo."""
