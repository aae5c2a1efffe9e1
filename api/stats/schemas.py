"""What the stats API answers with. A suppressed figure is null, with `suppressed` true."""

from datetime import date

from pydantic import BaseModel, Field

from api.chat.schemas import Aspect
from core.language import Language
from core.slugs import Slug


class Figures(BaseModel):
    conversations: int | None
    engaged: int | None = None
    contained_rate: float | None = None
    handoff_rate: float | None = None
    abandoned_rate: float | None = None
    fallback_rate: float | None = Field(None, description="fallbacks per user message")
    emergencies: int | None = None
    verified_containment_rate: float | None = Field(
        None, description="Telegram: contained with no new conversation within 7 days"
    )
    suppressed: bool = False


class DistrictFigures(Figures):
    district: str = Field(description='"" when the person named no district')


class ChannelFigures(Figures):
    channel: str = Field(description='"web" or "telegram"')


class LanguageFigures(Figures):
    language: str = Field(description='"nb", "nn", "en"; "" when not known')


class HourCount(BaseModel):
    hour: int = Field(ge=0, le=23, description="the hour of the day (Oslo) they began")
    conversations: int | None
    suppressed: bool = False


class PeriodFigures(Figures):
    period: date = Field(description="the first day of the day, week or month")


class ServiceCount(BaseModel):
    service: str
    conversations: int


class NeedCount(BaseModel):
    need: str = Field(description="a need tag (GET /api/needs)")
    conversations: int


class StaffFigures(BaseModel):
    district: str
    tickets: int | None
    claimed: int | None = None
    mean_office_minutes_to_claim: float | None = None
    mean_office_minutes_to_reply: float | None = None
    replied_by_promised_day_rate: float | None = None
    suppressed: bool = False


class Overview(Figures):
    from_day: date = Field(alias="from")
    to_day: date = Field(alias="to")
    scope: str = Field(description='"city" or the district the caller leads')
    by_district: list[DistrictFigures]
    by_channel: list[ChannelFigures]
    by_language: list[LanguageFigures]
    top_services: list[ServiceCount]
    top_needs: list[NeedCount]
    staff: list[StaffFigures]
    suppressed_below: int

    model_config = {"populate_by_name": True}


class Series(BaseModel):
    period: str
    rows: list[PeriodFigures]
    suppressed_below: int


class FeedbackIn(BaseModel):
    helpful: bool
    service: Slug | None = None
    aspect: Aspect | None = None
    language: Language | None = None


class FeedbackRow(BaseModel):
    service: str
    aspect: str
    language: str
    answers: int | None
    helpful_rate: float | None
    suppressed: bool = False


class UnansweredGroupOut(BaseModel):
    id: int
    example: str = Field(description="one of its questions, masked")
    count: int
    last_asked: date
    status: str


class GroupStatusIn(BaseModel):
    status: str = Field(pattern=r"^(open|added_to_catalogue|not_ours)$")
