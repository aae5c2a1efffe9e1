"""The unanswered-questions loop: masked questions, grouped by the words they share."""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.problems import ApiError
from api.stats.masking import mask_question
from api.stats.models import UnansweredGroup, UnansweredQuestion

KEEP_FOR = timedelta(days=30)
SIMILAR = 0.5  # Jaccard overlap of words at which two questions are one group
_WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = frozenset(
    [
        "alle",
        "andre",
        "at",
        "av",
        "bare",
        "blir",
        "da",
        "dag",
        "de",
        "dem",
        "den",
        "denne",
        "der",
        "deres",
        "det",
        "dette",
        "dere",
        "dei",
        "du",
        "eg",
        "eller",
        "en",
        "er",
        "et",
        "ett",
        "etter",
        "for",
        "fra",
        "før",
        "får",
        "gjør",
        "god",
        "går",
        "han",
        "har",
        "hei",
        "hen",
        "her",
        "hun",
        "hva",
        "hvem",
        "hvilke",
        "hvis",
        "hvor",
        "hvordan",
        "hvorfor",
        "ikke",
        "ingen",
        "jeg",
        "kan",
        "kom",
        "kunne",
        "man",
        "mange",
        "meg",
        "men",
        "mer",
        "min",
        "mitt",
        "mot",
        "må",
        "når",
        "nei",
        "noe",
        "noen",
        "nok",
        "og",
        "også",
        "om",
        "opp",
        "oss",
        "over",
        "på",
        "sin",
        "sine",
        "skal",
        "som",
        "så",
        "til",
        "takk",
        "tror",
        "under",
        "ved",
        "vil",
        "vite",
        "vår",
        "være",
        "what",
        "the",
        "and",
        "you",
        "how",
        "can",
        "does",
        "for",
        "with",
    ]
)


def words(text: str) -> list[str]:
    """The words that carry a question's meaning: lower case, no stop words, no masks."""
    found = {word for word in _WORD.findall(text.casefold()) if word not in STOPWORDS}
    found -= {"fjernet", "fødselsnummer", "telefonnummer", "post", "navn"}
    return sorted(found)


def similarity(first: Sequence[str], second: Sequence[str]) -> float:
    a, b = set(first), set(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def keep(session: Session, questions: Sequence[tuple[str, str, datetime]]) -> None:
    """Mask and keep each (text, district, at), in the most similar group or a new one."""
    if not questions:
        return
    groups = [(group, words(group.label)) for group in session.scalars(select(UnansweredGroup))]
    for text, district, at in questions:
        masked = mask_question(text)[:1000]
        kept_words = words(masked)
        best = max(groups, key=lambda pair: similarity(kept_words, pair[1]), default=None)
        if best is None or similarity(kept_words, best[1]) < SIMILAR:
            group = UnansweredGroup(label=masked, created_at=at)
            session.add(group)
            session.flush()
            groups.append((group, kept_words))
        else:
            group = best[0]
        session.add(
            UnansweredQuestion(
                group_id=group.id, text=masked, words=kept_words, district=district, at=at
            )
        )


def forget_old(session: Session, now: datetime) -> None:
    """Questions older than 30 days go, and with the last of them their group."""
    session.execute(delete(UnansweredQuestion).where(UnansweredQuestion.at < now - KEEP_FOR))
    still_asked = select(UnansweredQuestion.group_id).distinct()
    session.execute(delete(UnansweredGroup).where(UnansweredGroup.id.not_in(still_asked)))


def groups(
    session: Session, district: str | None, limit: int = 100
) -> list[tuple[UnansweredGroup, int, datetime]]:
    """Groups with how often they were asked and when last, most asked first."""
    query = (
        select(UnansweredGroup, func.count(UnansweredQuestion.id), func.max(UnansweredQuestion.at))
        .join(UnansweredQuestion, UnansweredQuestion.group_id == UnansweredGroup.id)
        .group_by(UnansweredGroup.id)
        .order_by(func.count(UnansweredQuestion.id).desc(), UnansweredGroup.id)
        .limit(limit)
    )
    if district is not None:
        query = query.where(UnansweredQuestion.district == district)
    return [(group, count, last) for group, count, last in session.execute(query)]


def mark(session: Session, group_id: int, status: str) -> tuple[UnansweredGroup, int, datetime]:
    """Set a group's status and keep it; the group as `groups` lists it."""
    group = session.get(UnansweredGroup, group_id)
    if group is None:
        raise ApiError(404, "No such group.")
    group.status = status
    session.commit()
    rows = [row for row in groups(session, None, limit=10_000) if row[0].id == group_id]
    return rows[0]
