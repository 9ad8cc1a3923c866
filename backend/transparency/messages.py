"""Messages of the tracking page and the assistant, added to the one code -> (vi, en) table."""

from backend.core.messages import MESSAGES, Message

MESSAGES.update(
    {
        "tracking_code_not_found": Message(
            "Không tìm thấy phản ánh với mã theo dõi này.", "No report has this tracking code."
        ),
        "track_lookups_limited": Message(
            "Đã thử quá nhiều mã theo dõi không đúng, vui lòng thử lại sau {seconds} giây.",
            "Too many tracking codes that match no report, please try again in {seconds} seconds.",
        ),
    }
)
