"""Demo data so a newcomer sees a living city, not empty screens.

Reports are submitted through the same service the API uses (so they are triaged and routed like
real ones), each with a fixed idempotency key: running the seed again changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from backend.accounts.models import Role, User
from backend.accounts.services import user_ensure
from backend.reports.models import Report
from backend.reports.services.intake import ReportInput, report_submit
from routing.selectors import agencies_all, areas_all, categories_all

DEMO_PASSWORD = "hue-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only

DEMO_REPORTS: list[tuple[str, str, str | None]] = [
    ("Đường Lê Lợi đoạn trước trường Quốc Học có ổ gà lớn, xe máy dễ té ngã.", "phu-xuan", "road_damage"),
    ("Rác thải tập kết tràn ra lòng đường kiệt 12 Ngự Bình mấy ngày rồi không ai dọn, bốc mùi hôi.", "an-cuu", None),
    ("Dây điện bị đứt rơi xuống đường Hùng Vương, đang có tia lửa, rất nguy hiểm!", "thuan-hoa", None),
    ("Đèn đường trên cầu Trường Tiền tắt cả dãy từ tối qua.", "thuan-hoa", "street_lighting"),
    ("duong Tran Hung Dao ngap sau mua, nuoc ngang goi, xe chet may nhieu", "phu-xuan", None),
    ("Cây phượng lớn trước chợ Đông Ba bị nghiêng, sắp ngã vào nhà dân.", "phu-xuan", "trees_parks"),
    ("Nhà tôi ở Vỹ Dạ mất nước từ sáng đến giờ, không có thông báo trước.", "vy-da", "water_supply"),
    ("Quán karaoke hát tới 1 giờ sáng, cả xóm không ngủ được.", "kim-long", "noise"),
    ("Hàng quán lấn chiếm hết vỉa hè đường Nguyễn Huệ, người đi bộ phải đi xuống lòng đường.", "thuan-hoa", None),
    ("Có tin nhắn mạo danh UBND phường yêu cầu chuyển tiền đóng phí, đề nghị xác minh.", "huong-thuy", None),
    ("Streetlight out on Vo Thi Sau street near the backpacker area, very dark at night.", "thuan-hoa", None),
    ("Huge pothole at the Thuan An beach road, a motorbike fell this morning.", "thuan-an", None),
    ("Cống thoát nước bị mất nắp trên đường Điện Biên Phủ, rất nguy hiểm cho xe máy.", "thuy-xuan", None),
    ("Nhiều người trong xóm sốt cao, nghi sốt xuất huyết, xin cử người phun thuốc muỗi.", "huong-tra", None),
    ("Thủ tục cấp giấy phép xây dựng nộp online 3 tuần chưa có phản hồi.", "phu-bai", "public_services"),
    ("Đèn tín hiệu giao thông ngã tư Hùng Vương - Bà Triệu bị hỏng, xe cộ lộn xộn.", "an-cuu", None),
    ("Bãi rác tự phát ven sông Hương gần cầu Dã Viên, bốc mùi.", "kim-long", None),
    ("Có nhóm thanh niên tụ tập đua xe trên đường Tố Hữu lúc nửa đêm.", "an-cuu", None),
    ("Cột điện bị nghiêng sau bão ở thôn Phú Lộc, dây võng thấp sát đầu người.", "phu-loc", None),
    ("Ống nước bị vỡ phun nước lên mặt đường ở Hương An.", "huong-an", None),
    ("Đề nghị sửa cầu trượt bị gãy trong công viên Thương Bạc, trẻ em chơi nguy hiểm.", "thuan-hoa", None),
    ("Mương thoát nước bị tắc đầy rác, mỗi lần mưa là ngập cả kiệt.", "thuy-xuan", None),
    ("Công trình xây nhà không giấy phép lấn ra hành lang đường.", "duong-no", None),
    ("Khói đốt rác từ bãi đất trống bay vào khu dân cư, khó thở.", "hoa-chau", None),
    ("Xin hỏi thủ tục đăng ký tạm trú cho người nước ngoài ở đâu?", "phu-xuan", None),
    ("Tai nạn giao thông trên quốc lộ 1A đoạn Phong Điền, có người bị thương nặng.", "phong-dien", None),
    ("Nước máy có màu vàng và mùi lạ mấy hôm nay.", "huong-thuy", None),
    ("Biển báo giao thông bị cây che khuất hoàn toàn ở đường Nguyễn Sinh Cung.", "vy-da", None),
    ("Chó thả rông cắn người ở khu tái định cư, đề nghị xử lý.", "phu-vang", None),
    ("Loa kẹo kéo mở rất to ở bờ sông Hương mỗi tối.", "thuan-hoa", None),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    agency: str | None


def demo_accounts_ensure() -> list[DemoAccount]:
    accounts = [DemoAccount("admin", DEMO_PASSWORD, Role.ADMIN, None)]
    accounts.append(DemoAccount("operator", DEMO_PASSWORD, Role.OPERATOR, None))
    for agency in agencies_all().order_by("code"):
        accounts.append(DemoAccount(f"staff-{agency.code}", DEMO_PASSWORD, Role.AGENCY, agency.code))
    for account in accounts:
        user = user_ensure(username=account.username, role=account.role, agency_code=account.agency)
        if not user.check_password(account.password):
            user.set_password(account.password)
            user.save(update_fields=["password"])
    return accounts


def demo_citizens_ensure() -> list[User]:
    phones = ["+84905000001", "+84914000002", "+33612345678"]
    return [user_ensure(username=f"citizen:{phone}", role=Role.CITIZEN) for phone in phones]


def demo_reports_ensure() -> int:
    citizens = demo_citizens_ensure()
    areas = {a.code: a for a in areas_all()}
    categories = {c.code: c for c in categories_all()}
    rng = random.Random(2026)
    created = 0
    for index, (text, area_code, hint) in enumerate(DEMO_REPORTS):
        area = areas.get(area_code)
        if area is None:
            continue
        # A few hundred metres around the ward centre: stays inside the ward, points do not stack.
        lat = area.centre_lat + rng.uniform(-0.004, 0.004)
        lon = area.centre_lon + rng.uniform(-0.004, 0.004)
        outcome = report_submit(
            user=citizens[index % len(citizens)],
            data=ReportInput(
                description=text,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                category_hint=categories.get(hint) if hint else None,
            ),
            idempotency_key=f"demo-seed-{index}",
        )
        created += outcome.created
    demo_lifecycle_ensure()
    return created


# --- the lifecycle: some demo reports moved along, so every state can be seen ---------------------
# (index in DEMO_REPORTS, steps). Steps run through the real lifecycle services, as the operator, the
# agency's staff and the reporter would. `confirm` is the operator confirming the triage (which also
# routes it to an agency); `merge:N` joins demo report N.
DEMO_STORIES: list[tuple[int, list[str]]] = [
    (0, ["confirm", "accept", "progress:Đã khảo sát, sẽ vá trong ngày", "resolve:Đã vá ổ gà bằng bê tông nhựa",
         "rate:5:Xử lý rất nhanh, cảm ơn!"]),
    (1, ["confirm", "accept", "progress:Đã điều xe thu gom rác"]),
    (2, ["confirm", "accept"]),
    (3, ["confirm", "accept", "progress:Đang thay bộ điều khiển chiếu sáng"]),
    (10, ["merge:3"]),
    (5, ["confirm", "accept", "resolve:Đã chằng chống cây", "reopen:Cây vẫn còn nghiêng, chưa cắt tỉa"]),
    (6, ["confirm", "return:Sự cố do đường ống nội bộ khu dân cư, không thuộc mạng lưới của công ty"]),
    (7, ["confirm"]),
    (8, ["note:Đã liên hệ UBND phường Thuận Hóa, chờ xác minh"]),
    (9, ["confirm", "accept", "resolve:Đã đăng cải chính trên cổng thông tin", "rate:4:"]),
    (12, ["confirm", "accept", "progress:Đã rào chắn tạm", "resolve:Đã lắp nắp cống mới"]),
    (15, ["confirm", "accept", "resolve:Đã sửa tủ điều khiển đèn tín hiệu"]),
    (19, ["confirm", "accept"]),
    (24, ["reject:Câu hỏi về thủ tục, không phải phản ánh; đã hướng dẫn gọi tổng đài 1022"]),
    (25, ["confirm", "accept", "progress:CSGT đã có mặt, phân luồng giao thông"]),
    (28, ["confirm", "accept", "resolve:Đã nhắc nhở chủ vật nuôi", "rate:2:Chưa triệt để, chó vẫn thả rông"]),
]


def _demo_report(index: int) -> Report | None:
    from backend.reports.models import IdempotencyKey

    key = IdempotencyKey.objects.filter(key=f"demo-seed-{index}").select_related("report").first()
    return key.report if key else None


def _demo_step(report: Report, step: str, operator: User) -> None:
    from backend.reports.services import lifecycle

    action, _, rest = step.partition(":")
    report.refresh_from_db()
    staff = None
    if report.agency is not None:
        staff = user_ensure(username=f"staff-{report.agency.code}", role=Role.AGENCY, agency_code=report.agency.code)
    if action == "confirm":
        category = report.category or report.category_hint or categories_all().get(code="other")
        lifecycle.report_triage_confirm(
            actor=operator, report_id=report.pk, category=category, urgency=report.urgency or "normal"
        )
    elif action == "note":
        lifecycle.report_note_add(actor=operator, report_id=report.pk, note=rest)
    elif action == "reject":
        lifecycle.report_reject(actor=operator, report_id=report.pk, reason=rest)
    elif action == "merge":
        target = _demo_report(int(rest))
        if target is not None:
            lifecycle.report_merge(actor=operator, report_id=report.pk, into_id=target.pk)
    elif action in {"accept", "progress", "resolve", "return"} and staff is not None:
        if action == "accept":
            lifecycle.ticket_accept(actor=staff, report_id=report.pk)
        elif action == "progress":
            lifecycle.ticket_progress(actor=staff, report_id=report.pk, note=rest)
        elif action == "resolve":
            lifecycle.ticket_resolve(actor=staff, report_id=report.pk, note=rest)
        else:
            lifecycle.ticket_return(actor=staff, report_id=report.pk, reason=rest)
    elif action == "rate":
        stars, _, comment = rest.partition(":")
        lifecycle.report_rate(actor=report.reporter, report_id=report.pk, stars=int(stars), comment=comment)
    elif action == "reopen":
        lifecycle.report_reopen(actor=report.reporter, report_id=report.pk, reason=rest)


def demo_lifecycle_ensure() -> int:
    """Move the demo stories along once; a report anyone already acted on is left as it is."""
    from backend.core.errors import ApiError
    from backend.reports.models import ReportEvent

    operator = user_ensure(username="operator", role=Role.OPERATOR)
    intake_kinds = [ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.TRIAGED, ReportEvent.Kind.ROUTED]
    moved = 0
    for index, steps in DEMO_STORIES:
        report = _demo_report(index)
        if report is None or report.events.exclude(kind__in=intake_kinds).exists():
            continue
        for step in steps:
            try:
                _demo_step(report, step, operator)
            except ApiError:
                break  # e.g. a merge target that is no longer open: the story ends there
        moved += 1
    return moved
