"""Custom Rasa NLU graph components (loaded by module path from config.yml)."""
