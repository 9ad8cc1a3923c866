"""Error messages of epidemic mode and health reports, added to the one code -> (vi, en) table."""

from backend.core.messages import MESSAGES, Message

MESSAGES.update(
    {
        "epidemic_mode_on": Message(
            "Chế độ dịch bệnh đang bật ({disease}); hãy tắt trước khi bật cho bệnh khác.",
            "Epidemic mode is already on ({disease}); end it before starting another.",
        ),
        "epidemic_mode_off": Message("Chế độ dịch bệnh đang tắt.", "Epidemic mode is off."),
        "not_a_health_report": Message(
            "Phản ánh này không thuộc lĩnh vực y tế.", "This report is not a health report."
        ),
        "health_agency_only": Message(
            "Phản ánh y tế, dịch bệnh chỉ được chuyển cho cơ quan y tế hoặc Trung tâm IOC.",
            "Health reports go only to the health agency or the monitoring centre.",
        ),
        "medical_help_at_least_high": Message(
            "Yêu cầu trợ giúp y tế có mức khẩn ít nhất là Cao.",
            "A request for medical help is at least high urgency.",
        ),
        "health_answers_invalid": Message(
            "Thông tin y tế chưa đầy đủ hoặc không hợp lệ.",
            "The health questions are incomplete or invalid.",
        ),
    }
)
