from typing import Literal

SingleSendScheduleRequestSendNow = Literal["now"]

SINGLE_SEND_SCHEDULE_REQUEST_SEND_NOW_VALUES: set[SingleSendScheduleRequestSendNow] = {
    "now",
}


def check_single_send_schedule_request_send_now(
    value: str,
) -> SingleSendScheduleRequestSendNow:
    if value in SINGLE_SEND_SCHEDULE_REQUEST_SEND_NOW_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SINGLE_SEND_SCHEDULE_REQUEST_SEND_NOW_VALUES!r}"
    )
