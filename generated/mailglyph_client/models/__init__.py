"""Contains all the data models used in inputs/outputs"""

from .audience_condition import AudienceCondition
from .audience_condition_group import AudienceConditionGroup
from .audience_filter import AudienceFilter
from .campaign import Campaign
from .campaign_response import CampaignResponse
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .field_error import FieldError
from .segment import Segment
from .send_campaign_request import SendCampaignRequest
from .send_campaign_response import SendCampaignResponse
from .send_test_campaign_request import SendTestCampaignRequest
from .send_test_campaign_response import SendTestCampaignResponse

__all__ = (
    "AudienceCondition",
    "AudienceConditionGroup",
    "AudienceFilter",
    "Campaign",
    "CampaignResponse",
    "ErrorDetail",
    "ErrorResponse",
    "FieldError",
    "Segment",
    "SendCampaignRequest",
    "SendCampaignResponse",
    "SendTestCampaignRequest",
    "SendTestCampaignResponse",
)
