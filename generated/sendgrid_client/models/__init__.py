"""Contains all the data models used in inputs/outputs"""

from .error_item import ErrorItem
from .error_response import ErrorResponse
from .schedule_info import ScheduleInfo
from .schedule_request import ScheduleRequest
from .schedule_response import ScheduleResponse
from .send_campaign_now_response import SendCampaignNowResponse

__all__ = (
    "ErrorItem",
    "ErrorResponse",
    "ScheduleInfo",
    "ScheduleRequest",
    "ScheduleResponse",
    "SendCampaignNowResponse",
)
