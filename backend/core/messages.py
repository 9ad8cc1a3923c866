"""Every message the API speaks, in the city's two languages: the one table.

Kept as a code -> (Vietnamese, English) table rather than gettext catalogues so that every API error
has a stable machine code and both wordings live side by side where reviewers can read them. Services
raise codes (backend.core.exceptions); only the API layer renders them here, in the asker's language.
Names of codes stored in the database (statuses, event kinds, urgencies) are their choices' labels,
written "Vietnamese / English"; `bilingual()` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "vi").startswith("en")


@dataclass(frozen=True)
class Message:
    vi: str
    en: str

    def render(self, **params: object) -> str:
        text = self.en if english() else self.vi
        return text.format(**params) if params else text


def bilingual(label: str) -> dict[str, str]:
    """A choice label written "Vietnamese / English" as {"vi", "en"}."""
    vi, _, en = label.partition(" / ")
    return {"vi": vi, "en": en or vi}


MESSAGES: dict[str, Message] = {
    "invalid": Message("Dữ liệu gửi lên không hợp lệ.", "The request data is invalid."),
    "parse_error": Message("Không đọc được nội dung yêu cầu.", "The request body could not be parsed."),
    "not_authenticated": Message("Vui lòng đăng nhập.", "Authentication credentials were not provided."),
    "authentication_failed": Message(
        "Mã đăng nhập không hợp lệ hoặc đã bị thu hồi.", "Invalid or revoked token."
    ),
    "permission_denied": Message(
        "Bạn không có quyền thực hiện thao tác này.", "You do not have permission to do this."
    ),
    "not_found": Message("Không tìm thấy.", "Not found."),
    "method_not_allowed": Message("Phương thức không được hỗ trợ.", "Method not allowed."),
    "unsupported_media_type": Message("Định dạng nội dung không được hỗ trợ.", "Unsupported media type."),
    "throttled": Message("Quá nhiều yêu cầu, vui lòng thử lại sau.", "Too many requests, try again later."),
    "request_too_large": Message("Yêu cầu quá lớn.", "The request is too large."),
    "idempotency_key_reused": Message(
        "Khóa Idempotency-Key này đã được dùng cho một phản ánh khác.",
        "This Idempotency-Key was already used for a different report.",
    ),
    "idempotency_key_invalid": Message(
        "Idempotency-Key phải dài 1-255 ký tự in được.",
        "Idempotency-Key must be 1-255 printable characters.",
    ),
    "too_many_photos": Message("Tối đa {max} ảnh cho mỗi phản ánh.", "At most {max} photos per report."),
    "otp_invalid": Message("Mã OTP không đúng.", "The code is incorrect."),
    "otp_expired": Message(
        "Mã OTP đã hết hạn, vui lòng yêu cầu mã mới.", "The code has expired, please request a new one."
    ),
    "otp_too_many_attempts": Message(
        "Nhập sai quá nhiều lần, vui lòng yêu cầu mã mới.", "Too many wrong tries, please request a new code."
    ),
    "otp_resend_too_soon": Message(
        "Vui lòng chờ {seconds} giây trước khi yêu cầu mã mới.",
        "Please wait {seconds} seconds before requesting a new code.",
    ),
    "otp_rate_limited": Message(
        "Đã gửi quá nhiều mã cho số này, vui lòng thử lại sau.",
        "Too many codes were sent to this number, try again later.",
    ),
    "overloaded": Message(
        "Hệ thống đang quá tải, vui lòng thử lại sau vài giây.",
        "The service is at capacity, please try again in a few seconds.",
    ),
    "sms_unavailable": Message(
        "Chưa gửi được tin nhắn mã xác thực, vui lòng thử lại sau ít phút.",
        "The code could not be sent by SMS right now, please try again in a few minutes.",
    ),
    "invalid_phone": Message("Số điện thoại không hợp lệ.", "Invalid phone number."),
    "phone_not_mobile": Message(
        "Chỉ gửi mã tới số di động thông thường (không nhận số dịch vụ, số vệ tinh, số cố định).",
        "Codes are sent to ordinary mobile numbers only (not premium, satellite or landline numbers).",
    ),
    "otp_citizens_only": Message(
        "Tài khoản cán bộ đăng nhập bằng mật khẩu, không dùng mã OTP.",
        "Staff accounts log in with their password, not with a one-time code.",
    ),
    "sms_budget_exhausted": Message(
        "Hệ thống đang gửi quá nhiều tin nhắn, vui lòng thử lại sau {seconds} giây.",
        "Too many codes are being sent right now, please try again in {seconds} seconds.",
    ),
    "rate_limited": Message(
        "Quá nhiều yêu cầu, vui lòng thử lại sau {seconds} giây.",
        "Too many requests, please try again in {seconds} seconds.",
    ),
    "login_locked": Message(
        "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau {seconds} giây.",
        "Too many failed logins, please try again in {seconds} seconds.",
    ),
    "photo_decoding_busy": Message(
        "Máy chủ đang xử lý nhiều ảnh, vui lòng gửi lại sau {seconds} giây.",
        "The server is busy processing photos, please send again in {seconds} seconds.",
    ),
    "temporarily_unavailable": Message(
        "Dịch vụ tạm thời gián đoạn, vui lòng thử lại sau.", "Temporarily unavailable, please try again later."
    ),
    "invalid_credentials": Message("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "unknown_category": Message("Lĩnh vực không tồn tại: {value}.", "Unknown category: {value}."),
    "server_error": Message("Lỗi máy chủ, vui lòng thử lại.", "Server error, please try again."),
    # Ticket lifecycle (backend/reports/lifecycle.py).
    "illegal_transition": Message(
        "Không thể {action} khi phản ánh đang ở trạng thái \"{status}\".",
        "Cannot {action} while the report is \"{status}\".",
    ),
    "already_rated": Message("Phản ánh này đã được đánh giá.", "This report has already been rated."),
    "reopen_window_passed": Message(
        "Đã quá {days} ngày kể từ khi xử lý xong, không thể mở lại.",
        "More than {days} days have passed since it was resolved; it can no longer be reopened.",
    ),
    "merge_into_self": Message("Không thể gộp phản ánh vào chính nó.", "A report cannot be merged into itself."),
    "merge_target_invalid": Message(
        "Phản ánh đích không tồn tại hoặc đã đóng.", "The target report does not exist or is no longer open."
    ),
    # How people call the lifecycle's actions (backend/reports/transitions.py), for refusals.
    "action.triage": Message("xác nhận phân loại", "confirm triage"),
    "action.assign": Message("chuyển đơn vị", "assign"),
    "action.reject": Message("từ chối", "reject"),
    "action.merge": Message("gộp phản ánh", "merge"),
    "action.note": Message("ghi chú", "add a note"),
    "action.accept": Message("tiếp nhận", "accept"),
    "action.progress": Message("cập nhật tiến độ", "report progress"),
    "action.resolve": Message("báo đã xử lý", "resolve"),
    "action.return": Message("trả lại", "return"),
    "action.rate": Message("đánh giá", "rate"),
    "action.reopen": Message("mở lại", "reopen"),
    "action.mark_overdue": Message("báo quá hạn", "mark overdue"),
    "action.auto_close": Message("tự động đóng", "auto-close"),
    "unknown_agency": Message("Đơn vị không tồn tại: {value}.", "Unknown agency: {value}."),
    # Open311 GeoReport v2 (backend/open311/): errors and the texts of a service request.
    "open311_jurisdiction_not_found": Message(
        "Không tìm thấy jurisdiction_id: {value} (hệ thống này phục vụ {ours}).",
        "jurisdiction_id provided was not found: {value} (this endpoint serves {ours}).",
    ),
    "open311_api_key_missing": Message(
        "Thiếu api_key: cần một mã truy cập của hệ thống này để gửi phản ánh.",
        "api_key was not provided: creating a request needs a token of this system.",
    ),
    "open311_api_key_invalid": Message(
        "api_key không hợp lệ hoặc đã bị thu hồi.", "api_key is invalid or revoked."
    ),
    "open311_service_not_found": Message(
        "Không tìm thấy service_code: {value}.", "service_code provided was not found: {value}."
    ),
    "open311_request_not_found": Message(
        "Không tìm thấy phản ánh: {value}.", "service_request_id provided was not found: {value}."
    ),
    "open311_token_not_found": Message("Không tìm thấy token: {value}.", "token provided was not found: {value}."),
    "open311_locale_unsupported": Message(
        "Ngôn ngữ không được hỗ trợ: {value} (dùng vi hoặc en).", "Unsupported locale: {value} (use vi or en)."
    ),
    "open311_not_found": Message(
        "Không có tài nguyên Open311 này. Đường dẫn hợp lệ: services.json, requests.xml…",
        "No such Open311 resource. Valid paths: services.json, requests.xml…",
    ),
    "open311_due": Message("Hạn xử lý: {due}.", "Due by {due} (Huế time)."),
    "open311_awaiting_review": Message(
        "Đang chờ Trung tâm IOC kiểm duyệt và chuyển đơn vị xử lý.",
        "Awaiting review and assignment by the city's monitoring centre (IOC).",
    ),
    "open311_merged": Message(
        "Trùng với phản ánh {value}, đã được gộp vào đó.", "Duplicate of request {value}, merged into it."
    ),
    "open311_rejected": Message(
        "Phản ánh bị từ chối (không đúng phạm vi hoặc không hợp lệ) và không được công bố.",
        "Rejected (out of scope or invalid); not published.",
    ),
}


def message(code: str, **params: object) -> str:
    entry = MESSAGES.get(code) or MESSAGES["invalid"]
    return entry.render(**params)


def transition_params(action: str, status_label: str) -> dict[str, str]:
    """The action and status (its "vi / en" choice label) of an illegal transition, in the asker's language."""
    names = bilingual(status_label)
    return {"action": message(f"action.{action}"), "status": names["en" if english() else "vi"]}
