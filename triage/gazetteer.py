"""Place names of Huế that are masked before the model sees a report.

A report about a pothole on Lê Lợi is a pothole report, whatever street it is on: if the model could
read place names it would learn that "An Cựu" means garbage because the training set happened to hold
many garbage reports from An Cựu. Every name here is replaced by one placeholder token.

Sources: the 40 commune-level units after the July 2025 reform (names copied from
shared/data/geo/hue_wards_communes_2025.geojson, property ``name``), the pre-2025 wards of the city
(shared/data/geo/vietmap_hue_old_to_new_ward_mapping_2025.csv, without the "Phường"/"Xã" prefix),
major streets and landmarks. One-syllable names ("Đúc", "Sịa") are only listed with their prefix:
alone they are ordinary words ("nước đục" is a water complaint). Names that read like complaints
without diacritics ("Hồng Thượng" ~ "hỏng thường xuyên") are left out; an accented name only matches
accented text, an unaccented name matches either.
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
    "Thừa Thiên Huế", "Thừa Thiên",
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
)  # fmt: skip

LANDMARKS: Final[tuple[str, ...]] = (
    "Đại Nội", "Kinh Thành", "Hoàng Thành", "Ngọ Môn", "Phu Văn Lâu", "Trường Tiền", "Phú Xuân",
    "Dạ Viên", "Thiên Mụ", "Sông Hương", "Hương Giang", "Sông An Cựu", "Sông Như Ý", "Cồn Hến",
    "Bạch Hổ", "Bạch Mã", "Tam Giang", "Tịnh Tâm", "Bãi Dâu", "Đập Đá", "Vĩnh Lợi",
    "Bến xe phía Bắc", "Bến xe phía Nam", "Bến Ngự", "Chợ Đông Ba", "Ngự Viên", "Lăng Khải Định",
    "Lăng Tự Đức", "Lăng Minh Mạng", "Hồ Thủy Tiên", "Đồi Vọng Cảnh", "Đàn Nam Giao", "Nam Giao",
    "Mang Cá", "Thượng Tứ", "Eo Bầu", "Hue", "Huế",
)  # fmt: skip

ALL_PLACE_NAMES: Final[tuple[str, ...]] = WARDS_2025 + OLD_WARDS + STREETS + LANDMARKS
