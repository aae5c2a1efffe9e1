"""The staff inbox: a plain web page at `/staff` over the staff API (no build step)."""
