"""Rasa's side: domain, channels, NLU components (Rasa's env) and the launcher (app env)."""
