"""Error messages of the warnings API, added to the one code -> (vi, en) table (backend/core/messages.py)."""

from backend.core.messages import MESSAGES, Message

MESSAGES.update(
    {
        "alert_area_required": Message(
            "Chọn đúng một phạm vi: toàn thành phố, danh sách phường/xã, hoặc một vùng vẽ trên bản đồ.",
            "Choose exactly one area: the whole city, a list of wards, or a drawn area.",
        ),
        "alert_closed": Message(
            "Cảnh báo này đã {state}, không thể sửa hoặc huỷ nữa.",
            "This warning is already {state}; it can no longer be changed or cancelled.",
        ),
        "alert_nothing_to_change": Message("Không có gì để thay đổi.", "Nothing to change."),
        "alert_point_incomplete": Message(
            "Cần cả lat và lng (hoặc không có cả hai).", "Give both lat and lng (or neither)."
        ),
    }
)
