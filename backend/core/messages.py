"""Citizen-facing messages in the city's two languages.

Kept as a code -> (Vietnamese, English) table rather than gettext catalogues so that every API error
has a stable machine code and both wordings live side by side where reviewers can read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Message:
    vi: str
    en: str

    def render(self, **params: object) -> str:
        text = self.en if (get_language() or "vi").startswith("en") else self.vi
        return text.format(**params) if params else text


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
