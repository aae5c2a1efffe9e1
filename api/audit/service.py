"""Writing the audit log."""

from sqlalchemy.orm import Session

from api.audit.models import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    district_slug: str | None,
    ticket_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry to the caller's transaction; it commits with the change it describes."""
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            district_slug=district_slug,
            ticket_id=ticket_id,
            detail=detail,
        )
    )
