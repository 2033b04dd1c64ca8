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
from .single_send import SingleSend
from .single_send_email_config import SingleSendEmailConfig
from .single_send_recipients import SingleSendRecipients
from .single_send_schedule_request import SingleSendScheduleRequest
from .single_send_schedule_request_send_now import SingleSendScheduleRequestSendNow
from .single_send_schedule_response import SingleSendScheduleResponse
from .single_send_unschedule_response import SingleSendUnscheduleResponse
from .single_send_warning import SingleSendWarning

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
    "SingleSend",
    "SingleSendEmailConfig",
    "SingleSendRecipients",
    "SingleSendScheduleRequest",
    "SingleSendScheduleRequestSendNow",
    "SingleSendScheduleResponse",
    "SingleSendUnscheduleResponse",
    "SingleSendWarning",
)
