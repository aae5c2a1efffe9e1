"""The rasa-sdk action server: answers from the catalogue, in the person's language."""
