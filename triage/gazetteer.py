"""Place names of Huế that are masked before the model sees a report.

A report about a pothole on Lê Lợi is a pothole report, whatever street it is on: if the model could
read place names it would learn that "An Cựu" means garbage because the training set happened to hold
many garbage reports from An Cựu. Every name here is replaced by one placeholder token.

Sources: the 40 commune-level units after the July 2025 reform (names copied from
shared/data/geo/hue_wards_communes_2025.geojson, property ``name``), the pre-2025 wards of the city
(shared/data/geo/vietmap_hue_old_to_new_ward_mapping_2025.csv, without the "Phường"/"Xã" prefix; all
131 are here), streets, bridges, markets, citadel gates, villages, lagoons and landmarks. One-syllable
names ("Đúc", "Sịa") are only listed with their prefix: alone they are ordinary words ("nước đục" is a
water complaint). A name typed with marks must match them ("hỏng" is not "Hồng"); a name typed
without marks matches on its folded form. Names that read like complaints once folded ("Hồng Thượng"
~ "hỏng thường xuyên") are in ``ACCENTED_ONLY_PLACE_NAMES``: they match only text typed with marks.

Issue 14: several names hold danger words, and a place must never fire a safety rule: "Cửa Sập" (a
citadel gate; "sập" is collapse), "Điện Hòn Chén" ("điện" is electricity), "Đầm Chuồn" ("đầm"/"đâm"),
"Đào Tấn" ("dao" is a knife once folded), "Võ Văn Kiệt" ("kiệt" is Huế's word for an alley),
"Thương Bạc" ("thương" as in injured), "Ngã Ba Sình" ("ngã" as in fell).
"""

from __future__ import annotations

from typing import Final

PLACE_TOKEN: Final = "_place_"

# The 40 phường/xã of Thành phố Huế since 1 July 2025.
WARDS_2025: Final[tuple[str, ...]] = (
    "A Lưới 1", "A Lưới 2", "A Lưới 3", "A Lưới 4", "A Lưới 5", "An Cựu", "Bình Điền",
    "Chân Mây - Lăng Cô", "Đan Điền", "Dương Nỗ", "Hóa Châu", "Hưng Lộc", "Hương An", "Hương Thủy",
    "Hương Trà", "Khe Tre", "Kim Long", "Kim Trà", "Lộc An", "Long Quảng", "Mỹ Thượng", "Nam Đông",
    "Phong Điền", "Phong Dinh", "Phong Phú", "Phong Quảng", "Phong Thái", "Phú Bài", "Phú Hồ",
    "Phú Lộc", "Phú Vang", "Phú Vinh", "Phú Xuân", "Quảng Điền", "Thanh Thủy", "Thuận An",
    "Thuận Hóa", "Thủy Xuân", "Vinh Lộc", "Vỹ Dạ",
)  # fmt: skip

# Pre-2025 wards and communes people still use in everyday speech.
OLD_WARDS: Final[tuple[str, ...]] = (
    "An Đông", "An Tây", "Phường Đúc", "Phú Hội", "Phú Nhuận", "Phước Vĩnh", "Thủy Biều",
    "Trường An", "Vĩnh Ninh", "Xuân Phú", "Phú Thượng", "Thủy Bằng", "Thủy Vân", "Hương Phong",
    "Hồng Thủy", "A Ngo", "A Roàng", "Đông Sơn",
    "Hương Nguyên", "Sơn Thủy", "Lâm Đớt", "Trung Sơn", "Quảng Nhâm",
    "Thủy Dương", "Thủy Lương", "Thủy Châu", "Thủy Phương", "Dương Hòa", "Phú Sơn", "Thủy Phù",
    "Thủy Tân", "Thủy Thanh", "Hương Chữ", "Hương Vân", "Hương Văn", "Hương Xuân", "Tứ Hạ",
    "Bình Thành", "Hương Bình", "Hương Toàn", "Bình Tiến", "Phong Hiền", "Phong Hòa", "Phong An",
    "Phong Thu", "Phong Thạnh", "Phong Bình", "Phong Chương", "Phong Hải", "Phong Mỹ", "Phong Sơn",
    "Phong Xuân", "Lộc Vĩnh", "Lộc Bình", "Lộc Bổn", "Lộc Điền", "Lộc Hòa", "Lộc Sơn", "Lộc Thủy",
    "Lộc Tiến", "Lộc Trì", "Vinh Hiền", "Vinh Hưng", "Vinh Mỹ", "Xuân Lộc", "Lăng Cô", "Chân Mây",
    "Giang Hải", "Hương Hữu", "Hương Lộc", "Hương Phú", "Hương Sơn", "Thượng Lộ", "Thượng Long",
    "Thượng Nhật", "Thượng Quảng", "Phú An", "Phú Đa", "Phú Diên", "Phú Hải", "Phú Lương", "Phú Mỹ",
    "Phú Thuận", "Vinh An", "Vinh Hà", "Vinh Thanh", "Vinh Xuân", "Phú Gia", "Quảng Lợi",
    "Quảng Ngạn", "Quảng Phú", "Quảng Phước", "Quảng Thái", "Quảng Thành", "Quảng Thọ",
    "Quảng Vinh", "Thị Trấn Sịa", "Quảng An", "Quảng Công", "An Hòa", "Hương Long", "Hương Sơ",
    "Phú Hậu", "Gia Hội", "Tây Lộc", "Thuận Hòa", "Thuận Lộc", "Long Hồ", "Hương Vinh", "Đông Ba",
    "Thừa Thiên Huế", "Thừa Thiên", "A Lưới", "Thị trấn A Lưới", "Thị trấn Phú Bài", "Thị trấn Thuận An",
    "Thị trấn Phong Điền", "Thị trấn Lăng Cô", "Thị trấn Khe Tre", "Thị trấn Phú Đa",
)  # fmt: skip

# Matched only when typed with their marks (see the module docstring).
ACCENTED_ONLY_PLACE_NAMES: Final[tuple[str, ...]] = (
    "Hồng Bắc", "Hồng Hạ", "Hồng Kim", "Hồng Thái", "Hồng Thượng", "Hồng Vân", "Hồng Tiến",
    "Hồng Quảng", "Hồng Trung",
    # "thanh toán" (pay), "lịch đổi", "là chủ", "thành tiền", "đang dùng", "cạnh đường" once folded
    "Thanh Toàn", "Lịch Đợi", "Tư Hiền", "La Chữ", "Mậu Tài", "Thanh Tiên", "Đặng Dung", "Cảnh Dương",
)  # fmt: skip

STREETS: Final[tuple[str, ...]] = (
    "Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Điện Biên Phủ", "Lê Duẩn", "Nguyễn Huệ", "Hà Nội",
    "Bà Triệu", "Nguyễn Trãi", "Trần Phú", "Phan Đình Phùng", "Lý Thường Kiệt", "Nguyễn Sinh Cung",
    "Phạm Văn Đồng", "Võ Nguyên Giáp", "Tố Hữu", "Nguyễn Tất Thành", "Bùi Thị Xuân", "Chi Lăng",
    "Đống Đa", "Lê Lai", "Nguyễn Văn Cừ", "Phan Bội Châu", "Ngô Quyền", "Mai Thúc Loan",
    "Đinh Tiên Hoàng", "Trần Cao Vân", "Hai Bà Trưng", "Nguyễn Lộ Trạch", "An Dương Vương",
    "Lê Thánh Tôn", "Đặng Thái Thân", "Nguyễn Chí Thanh", "Huỳnh Thúc Kháng", "Chu Văn An",
    "Bến Nghé", "Đội Cung", "Ngự Bình", "Minh Mạng", "Tự Đức", "Lê Quý Đôn", "Trường Chinh",
    "Nguyễn Khoa Chiêm", "Xuân Diệu", "Tăng Bạt Hổ", "Lê Huân", "Nguyễn Trường Tộ", "Đào Duy Anh",
    "Nguyễn Gia Thiều", "Hàn Mặc Tử", "Nguyễn Du", "Phạm Ngũ Lão", "Võ Thị Sáu", "Đội Cấn",
    "Nguyễn Thái Học", "Lê Hồng Phong", "Trương Định", "Nguyễn Hoàng", "Bạch Đằng", "Chế Lan Viên",
    "Nguyễn Phúc Nguyên", "Nguyễn Văn Linh", "Tôn Đức Thắng", "Lê Ngô Cát", "Kim Long",
    "Thanh Hải", "Hoàng Quốc Việt", "Dương Văn An", "Hồ Đắc Di", "Nguyễn Lương Bằng",
    "Võ Văn Kiệt", "Đặng Huy Trứ", "Nguyễn Tri Phương", "Nguyễn Tất Thành", "Đào Tấn", "Đào Duy Từ", "Hàm Nghi", "Hoàng Diệu", "Phùng Hưng",
    "Đoàn Thị Điểm", "Tôn Thất Thiệp", "Lê Đại Hành", "Trần Quốc Toản", "Ngô Đức Kế", "Phan Đăng Lưu",
    "Ông Ích Khiêm", "Trần Nguyên Hãn", "Xuân 68", "Nguyễn Công Trứ", "Ngô Thì Nhậm", "Nguyễn Khuyến",
    "Phan Chu Trinh", "Lý Thái Tổ", "Đinh Công Tráng", "Lê Văn Hưu", "Trần Quang Khải", "Phạm Hồng Thái",
    "Sư Vạn Hạnh", "Lương Ngọc Quyến", "Hà Huy Tập", "Tản Đà", "Trưng Nữ Vương",
    "Cao Bá Quát", "Nhật Lệ", "Lê Trung Đình", "Đặng Trần Côn", "Mạc Đĩnh Chi", "Hoàng Lanh",
    "Trần Văn Kỷ", "Nguyễn Chí Diểu", "Lê Thánh Tông", "Hải Triều", "Nguyễn Khoa Văn", "Lý Tự Trọng",
    "Đống Đa", "Phan Văn Trường", "Hồ Xuân Hương", "Nguyễn Đình Chiểu", "Lê Quang Định",
    "Nguyễn Văn Thoại", "Trần Anh Tông", "Hoàng Hoa Thám", "Quốc lộ 1A", "Quốc lộ 49", "Tỉnh lộ 10",
)  # fmt: skip

LANDMARKS: Final[tuple[str, ...]] = (
    "Đại Nội", "Kinh Thành", "Hoàng Thành", "Ngọ Môn", "Phu Văn Lâu", "Trường Tiền", "Phú Xuân",
    "Dạ Viên", "Thiên Mụ", "Sông Hương", "Hương Giang", "Sông An Cựu", "Sông Như Ý", "Cồn Hến",
    "Bạch Hổ", "Bạch Mã", "Tam Giang", "Tịnh Tâm", "Bãi Dâu", "Đập Đá", "Vĩnh Lợi",
    "Bến xe phía Bắc", "Bến xe phía Nam", "Bến Ngự", "Chợ Đông Ba", "Ngự Viên", "Lăng Khải Định",
    "Lăng Tự Đức", "Lăng Minh Mạng", "Hồ Thủy Tiên", "Đồi Vọng Cảnh", "Đàn Nam Giao", "Nam Giao",
    "Mang Cá", "Thượng Tứ", "Eo Bầu", "Hue", "Huế",
    # citadel gates
    "Cửa Sập", "Cửa Ngăn", "Cửa Quảng Đức", "Cửa Nhà Đồ", "Cửa Hữu", "Cửa Chánh Tây", "Cửa Chánh Bắc",
    "Cửa Hậu", "Cửa Kẻ Trài", "Cửa Đông Ba", "Cửa An Hòa", "Cửa Thượng Tứ", "Cửa Thể Nhơn",
    # bridges, stations, markets
    "Tràng Tiền", "Dã Viên", "Phú Cam", "Chợ Dinh", "Kho Rèn", "Vân Dương", "Bạch Yến",
    "Ga Huế", "Chợ Bến Ngự", "Chợ An Cựu", "Chợ Tây Lộc", "Chợ Xép", "Chợ Kim Long",
    "Chợ Vỹ Dạ", "Chợ Phú Hậu", "Chợ Đông Ba",
    # villages, pagodas, temples, hills, lagoons, beaches
    "Ngã Ba Sình", "Làng Sình", "Phước Tích", "Lựu Bảo", "Điện Hòn Chén", "Hòn Chén", "Ngự Bình",
    "Thiên An", "Thủy Tiên", "Hồ Truồi", "Suối Voi", "Suối Mơ", "Thác Mơ", "Đèo Hải Vân", "Hải Vân",
    "Cầu Hai", "Đầm Cầu Hai", "Đầm Lập An", "Lập An", "Đầm Chuồn", "Đầm Sam", "Thủy Tú",
    "Từ Đàm", "Từ Hiếu", "Huyền Không", "Phủ Cam", "An Định", "Quốc Học", "Đồng Khánh", "Kỳ Đài",
    "Nghênh Lương Đình", "Thương Bạc", "Tòa Khâm", "Sông Bồ", "Sông Ô Lâu", "Sông Đông Ba",
    "Sông Truồi", "Lợi Nông", "Bàu Vá", "Nguyệt Biều", "Lương Quán", "Hải Cát", "Địa Linh", "Bao Vinh",
    "Hương Cần", "Câu Nhi", "Thủy Biều", "Lăng Gia Long",
    "Lăng Thiệu Trị", "Lăng Đồng Khánh", "Hổ Quyền", "Văn Thánh", "Võ Thánh", "Tân Mỹ",
)  # fmt: skip

ALL_PLACE_NAMES: Final[tuple[str, ...]] = WARDS_2025 + OLD_WARDS + STREETS + LANDMARKS
