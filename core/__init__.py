"""What every feature shares: settings and the database."""
