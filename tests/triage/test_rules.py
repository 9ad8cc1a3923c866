"""Safety rules, one by one: each fires with and without diacritics and stays quiet where it should."""

import pytest

from triage.rules import NO_RULES_FIRED, RuleOutcome, RuleSet, SafetyRule, default_rules
from triage.safety_rules import SAFETY_RULES
from triage.taxonomy import URGENCIES

# rule id -> (fires: with diacritics or English, fires: without diacritics, must not fire)
RULE_CASES: dict[str, tuple[str, str, str]] = {
    "fire": (
        "Nhà dân ở kiệt 5 đang cháy lớn, khói bốc cao",
        "nha dan o kiet 5 dang chay lon, khoi boc cao",
        "Bóng đèn đường bị cháy mấy hôm rồi",
    ),
    "explosion": (
        "Nghe tiếng nổ lớn ở trạm biến áp đầu ngõ",
        "nghe tieng no lon o tram bien ap dau ngo",
        "Xe máy nổ máy ồn ào cả đêm",
    ),
    "downed_wire": (
        "Dây điện bị đứt rơi xuống đường, rất nguy hiểm",
        "day dien bi dut roi xuong duong rat nguy hiem",
        "Dây điện cũ rồi, chằng chịt trên cột",
    ),
    "low_wire_or_pole": (
        "Dây điện võng thấp sát đầu người đi đường",
        "cot dien bi nghieng sau bao",
        "Cột điện đó dán đầy quảng cáo",
    ),
    "sparks": ("Cột điện chập điện tóe lửa", "cot dien chap dien toe lua", "Điện yếu, quạt quay chậm"),
    "electrocution": (
        "Có người bị điện giật ở trụ đèn",
        "co nguoi bi dien giat o tru den",
        "Giật tay lái xe máy khi qua ổ gà",
    ),
    "collapse": (
        "Bức tường nhà cũ vừa sập xuống lối đi",
        "buc tuong nha cu bi sap xuong loi di",
        "Trang web dịch vụ công bị sập mạng cả ngày",
    ),
    "collapse_risk": (
        "Căn nhà cũ có nguy cơ sập, tường nứt toác",
        "can nha cu co nguy co sap",
        "Nhà sắp xây xong, còn ồn vài hôm",
    ),
    # issue 14: danger told by its consequence, and imminence (it may happen any moment) is critical
    "imminent_fall": (
        "Cành cây gãy treo lủng lẳng, có thể rơi xuống bất cứ lúc nào",
        "bien quang cao bung khung lung lang sap roi xuong duong",
        "Chiều nay sắp đổ rác rồi, nhắc bà con mang rác ra",
    ),
    "uncovered_pit": (
        "Hố sâu đào giữa vỉa hè không có rào chắn, tối không thấy gì",
        "ho sau giua duong khong co bien bao, toi om nguoi di bo de te",
        "Hồ bơi công viên không có nước mấy tuần nay",
    ),
    "hanging_over_people": (
        "Mái tôn ki ốt bị gió bật ra treo lơ lửng ngay trên đầu người đi chợ",
        "tam ton bung ra lung lang tren loi di",
        "Đèn lồng treo trên phố đi bộ rất đẹp",
    ),
    "missing_railing": (
        "Lan can cầu bộ hành bị mất một đoạn, học sinh qua lại hằng ngày",
        "lan can cau bi gay mot doan, tre em di hoc qua day",
        "Lan can cầu mới sơn lại rất đẹp",
    ),
    "trapped": (
        "Có người mắc kẹt trong thang máy chung cư",
        "co nguoi mac ket trong thang may chung cu",
        "Kẹt xe kéo dài ở ngã tư giờ tan tầm",
    ),
    "rising_water": (
        "Nước đang lên nhanh, đường ngập sâu",
        "nuoc dang len nhanh, duong ngap sau",
        "Nước không thoát được, đọng vũng nhỏ",
    ),
    "life_threatening_flood": (
        "Đường ni ngập tới ngực rồi, mn cứu với",
        "nha bi lu cuon troi",
        "Nhà bị ngập có ai giúp dọn bùn không",
    ),
    "drowning": (
        "Có em bé bị đuối nước ở hồ",
        "co em be bi duoi nuoc o ho",
        "Hồ nước trong công viên nhiều rêu",
    ),
    "unconscious": (
        "Cụ ông ngất xỉu bên đường",
        "cu ong bat tinh ben duong",
        "Mùi rác hôi quá, khó thở",
    ),
    "medical_emergency": (
        "Cần cấp cứu gấp, cháu bé bị hóc hạt nhãn",
        "can cap cuu gap o cho",
        "Xin hỏi lịch tiêm vắc xin",
    ),
    "bleeding": (
        "Người đi xe máy bị ngã chảy máu nhiều",
        "nguoi di xe may bi nga chay mau nhieu",
        "Nước chảy xuống đường thành dòng",
    ),
    "injured": ("Có hai người bị thương", "co hai nguoi bi thuong", "Ko thấy ai bị thương"),
    "weapon": (
        "Thanh niên cầm dao đuổi chém nhau",
        "thanh nien cam dao duoi chem nhau",
        "Cấm đào đường vào giờ cao điểm",
    ),
    "violence": (
        "Hai nhóm đánh nhau ngoài quán",
        "hai nhom danh nhau ngoai quan",
        "Đánh giá dịch vụ công rất tốt",
    ),
    "open_manhole": (
        "Hố ga mất nắp giữa đường Lê Lợi",
        "ho ga mat nap giua duong le loi",
        "Hố ga bốc mùi hôi",
    ),
    "gas_leak": ("Rò rỉ gas trong chung cư", "ro ri gas trong chung cu", "Giá gas tăng quá"),
    "missing_person": ("Bé 5 tuổi đi lạc ở chợ", "be 5 tuoi di lac o cho", "Con chó đi lạc vào nhà"),
    "tree_on_people": (
        "Cây đổ đè lên xe máy đang chạy",
        "cay nga de len xe may",
        "Cây đó bị sâu ăn lá",
    ),
    "fallen_tree": (
        "Cây bật gốc nằm ngang đường",
        "cay bat goc nam ngang duong",
        "Cây đó cần tỉa cành",
    ),
    "traffic_accident": (
        "Tai nạn giao thông ở ngã tư",
        "tai nan giao thong o nga tu",
        "Website crashed when I submitted",
    ),
    "landslide": ("Sạt lở đất ở đồi sau nhà", "sat lo dat o doi sau nha", "Đường đất nhiều bụi"),
    "buried": ("Nhà bị vùi lấp sau sạt lở", "nha bi vui lap sau sat lo", "Vui lòng dọn rác"),
    "self_harm": ("Có người đòi tự tử trên cầu", "co nguoi doi nhay cau", "Từ từ sửa cũng được"),
    "bridge_failure": (
        "Cây cầu gỗ dân sinh ở thôn bị võng xuống, xe máy vẫn chạy qua",
        "dam cau bi nut lon, xe tai van chay qua",
        "Cầu thang chung cư bị bong gạch",
    ),
    "tree_uprooting_near_people": (
        "Cây phượng trước cổng trường sắp đổ, học sinh vẫn đứng chờ dưới gốc",
        "cay co thu dang bi bat goc sau bao, hoc sinh di qua hang ngay",
        "Cây xanh rễ bật lên làm nứt vỉa hè, người đi bộ vấp",
    ),
    "person_hit": ("Xe tải tông người đi bộ", "xe tai tong nguoi di bo", "Xe tải đậu trên vỉa hè"),
    "animal_attack": ("Chó dại cắn người ở chợ", "cho dai can nguoi o cho", "Chó sủa cả đêm"),
    "mass_illness": (
        "Cả xóm uống nước máy xong bị tiêu chảy, nôn ói",
        "ngo doc tap the o cong ty",
        "Nhà tui bị đau bụng nhẹ",
    ),
}

RULES = default_rules()
RULES_BY_ID = {rule.id: rule for rule in SAFETY_RULES}


def test_every_rule_has_cases_and_every_case_has_a_rule():
    assert set(RULE_CASES) == set(RULES_BY_ID)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_on_text_with_diacritics(rule_id):
    outcome = RULES.evaluate_text(RULE_CASES[rule_id][0])
    assert rule_id in outcome.fired


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_on_text_without_diacritics(rule_id):
    text = RULE_CASES[rule_id][1]
    assert text.isascii()
    outcome = RULES.evaluate_text(text)
    assert rule_id in outcome.fired


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_stays_quiet_on_look_alike_text(rule_id):
    outcome = RULES.evaluate_text(RULE_CASES[rule_id][2])
    assert rule_id not in outcome.fired


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("A live wire is lying on the road after the storm", "downed_wire"),
        ("The house next door is on fire", "fire"),
        ("Someone collapsed and is unconscious near the market", "unconscious"),
        ("Gas leak in the apartment block, strong smell of gas", "gas_leak"),
        ("Open manhole in the middle of the lane", "open_manhole"),
        ("Missing child, 4 years old, last seen at Dong Ba", "missing_person"),
        ("Flash flood swept away a motorbike", "life_threatening_flood"),
        ("man with a knife threatening people", "weapon"),
        ("A woman is standing on the bridge railing and threatening to jump", "self_harm"),
        ("The old footbridge is sagging in the middle and people still walk on it", "bridge_failure"),
        (
            "The big tree by the school gate is uprooting in the wind, children walk under it",
            "tree_uprooting_near_people",
        ),
    ],
)
def test_rules_fire_in_english(text, rule_id):
    assert rule_id in RULES.evaluate_text(text).fired


@pytest.mark.parametrize(
    "text",
    [
        "không có cháy, chỉ là khói đốt rác",
        "ko thấy cháy gì cả",
        "chua co chay",
        "there is no fire here",
        "không ai bị thương",
    ],
)
def test_negated_hazards_do_not_fire(text):
    assert RULES.evaluate_text(text) == NO_RULES_FIRED


# issue 14: a danger word that does not describe a danger here and now (triage.context)
CONTEXT_TRAPS = [
    # past
    "Hôm qua cháy nhà ở kiệt 5, giờ đã dập tắt xong",
    "Cảm ơn các anh cứu hộ đã giúp bà con trong đợt lũ vừa rồi",
    "Thanks for helping us after the flood last year, everyone was rescued safely",
    "Last month's fire truck could not get into this lane, please clear the parked cars",
    "cây đổ đè lên mái nhà hôm qua, không ai sao",
    # near miss
    "sáng nay suýt đâm nhau ở ngã tư vì đèn tín hiệu hỏng",
    "Cars almost crashed here twice this week because the sign is turned around",
    # an accident or a fall in which luckily nobody was hurt (rules about harm to people)
    "Va chạm giữa hai xe máy ở vòng xoay, may mà không ai bị thương",
    "tai nan nhe o nga tu, hai xe quet nhau, may k ai bi chi",
    "Minor accident at the roundabout, luckily nobody was hurt",
    # reported speech and rumours
    "Nghe đồn cầu Trường Tiền sắp sập, có thật không?",
    "Trên facebook có người đăng nói ở chợ có vụ nổ lớn, đề nghị xác minh",
    "Tin đồn có người bắt cóc trẻ em bằng xe van trắng, mong công an xác minh",
    "Is it true that the bridge collapsed? Someone posted a video",
    # hypothetical, prevention, questions about procedures
    "Nếu nhà bị cháy thì gọi số nào?",
    "Quán karaoke không đảm bảo phòng cháy, nguy cơ cháy nổ cao",
    "Trường tổ chức diễn tập chữa cháy sáng mai",
    "Where can I get a rabies shot? Is there a clinic open today?",
    "Tổ chim trên cột điện, sợ chập điện, nhờ điện lực gỡ giúp",
]
CONTEXT_TRIGGERS = [
    # present danger next to a past or reported clause still fires
    ("Hôm qua mưa lớn, hôm nay nhà ở kiệt 5 đang cháy lớn", "fire"),
    ("Nhà tôi đang cháy, tôi đã quay video đăng facebook", "fire"),
    ("Fire in my building, please come quickly, thank you", "fire"),
    # "nobody was hurt" silences rules about harm only: a hazard still in place keeps its rule
    ("Dây điện đứt rơi xuống đường, may chưa ai bị giật", "downed_wire"),
    ("Tai nạn ở ngã tư, một người bất tỉnh. Xe kia may không sao", "unconscious"),
    ("Cây đổ chắn ngang đường, may không ai bị sao", "fallen_tree"),
    # an imminent danger in hypothetical words is a danger now
    ("Cây nghiêng hẳn, có thể đổ bất cứ lúc nào xuống đường", "imminent_fall"),
    ("The billboard could come down any moment onto the road", "imminent_fall"),
    ("Branch hanging by a thread over the kindergarten entrance", "imminent_fall"),
    # a risk rule reads its own risk words
    ("Căn nhà cũ có nguy cơ sập, tường nứt toác", "collapse_risk"),
    # people gathering with weapons
    ("Một nhóm thanh niên tụ tập mang theo gậy gộc, tuýp sắt, mong công an đến ngay", "weapon"),
    ("A gang of guys with sticks and iron bars outside the karaoke, police please come now", "weapon"),
]
# issue 14: words with two senses, equipment named after fire, place names with danger words
SENSE_TRAPS = [
    "Bóng đèn đường bị cháy mấy hôm rồi",
    "cầu chì cháy nên cả dãy đèn tắt",
    "Bình chữa cháy ở chung cư đã hết hạn",
    "Trụ cứu hỏa trước nhà bị rò nước cả tuần",
    "Xe cứu hỏa đậu chắn lối đi bộ",
    "Đường tàu lửa qua khu dân cư không có gác chắn ồn quá",
    "Mùi nhựa cháy khét từ cơ sở tái chế mỗi tối",
    "Thanh niên độ bô xe nổ pô inh ỏi cả đêm",
    "Taxi chém giá khách du lịch quá đắt",
    "Khu trọ cứ tối là nhảy cầu dao tổng",
    "Water is shooting up from the broken pipe like a fountain",
    "A welder works on the pavement, sparks flying toward people walking by",
    "Cây xanh ở ngã tư Lê Lợi cần cắt tỉa",
    "Có người đổ rác dưới gốc cây đổ trộm cả tuần",
    "Web dịch vụ công bị sập cả ngày",
    "Ghé thăm Cửa Sập và Đại Nội cuối tuần",
    "Đường Điện Biên Phủ bị ngập nhẹ sau mưa",
    # the electricity meter ("đồng hồ điện" holds "hở điện"); a phone snatched ("giật điện thoại")
    "Đồng hồ điện nhà tôi chạy nhanh gấp đôi tháng trước",
    "dong ho dien cong cong o dau kiet bi hong nap",
    # a lamp that burnt out, told many words later; a bulb popping as it dies; scorched grass
    "Bóng đèn cao áp trước cổng trường tiểu học Vỹ Dạ bị cháy cả tuần nay",
    "bong den o goc cong vien bi chay no lach tach roi tat han",
    "Thảm cỏ ở công viên khô cháy hết vì nắng",
    # straw or rubbish burnt on purpose: smoke, not a fire out of control
    "Smoke from people burning rice straw in the fields every evening",
    "Rubbish burning on the riverbank again, the smell reaches our homestay",
]
# and the same words still fire where they name the danger
SENSE_TRIGGERS = [
    ("Dây điện hở ở đồng hồ điện, con tôi chạm vào bị điện giật", "electrocution"),
    ("Nhà bên cạnh đang bị cháy, khói đen mù mịt", "fire"),
    ("The rice straw stack caught fire and the flames reach the houses", "fire"),
    ("Trạm biến áp cháy nổ, lửa bốc cao", "explosion"),
]


@pytest.mark.parametrize("text", CONTEXT_TRAPS + SENSE_TRAPS)
def test_dangers_not_here_and_now_and_other_senses_do_not_fire(text):
    assert RULES.evaluate_text(text) == NO_RULES_FIRED


@pytest.mark.parametrize(("text", "rule_id"), CONTEXT_TRIGGERS + SENSE_TRIGGERS)
def test_present_dangers_still_fire_beside_other_contexts(text, rule_id):
    assert rule_id in RULES.evaluate_text(text).fired


def test_a_snatched_phone_is_theft_not_an_electric_shock():
    outcome = RULES.evaluate_text("Đoạn đường tối om, tuần này hai người bị giật điện thoại")
    assert "electrocution" not in outcome.fired and outcome.min_urgency != "critical"


def test_a_negation_earlier_in_the_sentence_does_not_silence_the_hazard():
    outcome = RULES.evaluate_text("không hiểu sao dây điện bị đứt rơi xuống đường")
    assert outcome.fired == ("downed_wire",)
    assert outcome.min_urgency == "critical"


def test_the_most_urgent_rule_sets_the_minimum_and_its_category_hint():
    # Given a report that fires a high rule (rising water) and a critical one (trapped)
    outcome = RULES.evaluate_text("Nước đang lên nhanh, có người mắc kẹt trong nhà")

    assert outcome.fired == ("trapped", "rising_water")
    assert outcome.min_urgency == "critical"
    assert outcome.category_hint is None  # "trapped" has no hint; the high rule's hint is not used


@pytest.mark.parametrize("rule", SAFETY_RULES, ids=lambda rule: rule.id)
@pytest.mark.parametrize("model_urgency", URGENCIES)
def test_rules_never_lower_urgency(rule, model_urgency):
    # Given any rule firing and any urgency from the model
    outcome = RuleOutcome(fired=(rule.id,), min_urgency=rule.min_urgency, category_hint=rule.category)

    # When the rules are applied
    raised = outcome.raise_urgency(model_urgency)

    # Then the result is the more urgent of the two
    assert URGENCIES.index(raised) == max(URGENCIES.index(model_urgency), URGENCIES.index(rule.min_urgency))


def test_no_rule_fired_keeps_the_model_urgency():
    assert [NO_RULES_FIRED.raise_urgency(urgency) for urgency in URGENCIES] == list(URGENCIES)


def test_ordinary_reports_fire_no_rule():
    for text in ("Rác chưa được thu gom ba ngày", "Đèn đường hỏng", "Xin hỏi thủ tục cấp căn cước"):
        assert RULES.evaluate_text(text) == NO_RULES_FIRED


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (SafetyRule(id="x", description="", min_urgency="urgent", patterns=("a",)), "unknown min_urgency"),
        (SafetyRule(id="x", description="", min_urgency="high", patterns=("cháy",)), "without diacritics"),
        (SafetyRule(id="x", description="", min_urgency="high", patterns=()), "has no patterns"),
        (
            SafetyRule(id="x", description="", min_urgency="high", patterns=("a",), category="fire"),
            "unknown category",
        ),
    ],
)
def test_malformed_rules_are_refused(rule, message):
    with pytest.raises(ValueError, match=message):
        RuleSet((rule,))


def test_duplicate_rule_ids_are_refused():
    rule = SafetyRule(id="fire", description="", min_urgency="high", patterns=("a",))
    with pytest.raises(ValueError, match="duplicate safety rule ids: fire"):
        RuleSet((rule, rule))


def test_the_word_prefilter_never_changes_what_fires(fixture_rows, monkeypatch):
    # Given every fixture report and every rule case / When evaluated with and without the cheap
    # "does the text hold the words this pattern needs" test / Then the same rules fire
    import triage.rules as rules_module

    texts = [row.text for row in fixture_rows] + [text for case in RULE_CASES.values() for text in case]
    with_filter = [RULES.evaluate_text(text) for text in texts]
    monkeypatch.setattr(rules_module, "_candidates", lambda index, words: index.all_rules)
    without_filter = [RULES.evaluate_text(text) for text in texts]

    assert with_filter == without_filter


def test_every_pattern_of_the_table_is_filed_under_its_words():
    # given the city's rule table
    rules = default_rules()
    # then no rule has to be tried on every report (a pattern the word index cannot read, such as
    # "overdosed?", would run its regular expression on each report on the request path)
    always = rules._by_folded_word.always | rules._by_accented_word.always
    assert sorted(rules.rules[position].id for position in always) == []
