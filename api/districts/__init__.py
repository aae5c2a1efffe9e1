"""Districts (bydeler) and resolving a place name to one."""
