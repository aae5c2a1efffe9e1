"""Handing a conversation to district staff: the form, the outbox, the submission."""
