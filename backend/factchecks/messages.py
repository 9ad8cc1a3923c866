"""Error messages of the fact-check API, added to the one code -> (vi, en) table (backend/core/messages.py)."""

from backend.core.messages import MESSAGES, Message

MESSAGES.update(
    {
        "factcheck_not_a_rumour": Message(
            "Phản ánh {value} không thuộc lĩnh vực tin giả, tin đồn.",
            "Report {value} is not a misinformation report.",
        ),
        "factcheck_report_elsewhere": Message(
            "Phản ánh {value} đã được gắn với một kết luận khác.",
            "Report {value} already belongs to another fact check.",
        ),
    }
)
