"""Services: search, look-up with sourced facts, district-specific offers, need tags."""
