"""Contains all the data models used in inputs/outputs"""

from .campaign import Campaign
from .error_item import ErrorItem
from .error_response import ErrorResponse
from .schedule_info import ScheduleInfo
from .schedule_request import ScheduleRequest
from .schedule_response import ScheduleResponse
from .send_campaign_now_response import SendCampaignNowResponse
from .send_test_request import SendTestRequest
from .send_test_response import SendTestResponse

__all__ = (
    "Campaign",
    "ErrorItem",
    "ErrorResponse",
    "ScheduleInfo",
    "ScheduleRequest",
    "ScheduleResponse",
    "SendCampaignNowResponse",
    "SendTestRequest",
    "SendTestResponse",
)
