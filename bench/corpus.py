"""Chinese text for the generated city, composed from phrase fragments.

Every fragment is plain text without markup, links, `#` or `@`, so the HTML of a composed text is
the concatenation of each fragment's rendering. Topics (`#话题#`) and mentions (`@部门`) are
fragments of their own, rendered once by xtq.text.render (see generate.Renderer).
"""

import random

TOPICS = (
    "公交",
    "地铁",
    "暖气",
    "停车难",
    "郑州地铁",
    "供暖季",
    "防汛",
    "创文",
    "交通安全",
    "食品安全",
    "政务公开",
    "便民服务",
    "中招",
    "高考",
    "医保",
    "社保",
    "空气质量",
    "垃圾分类",
    "老旧小区改造",
    "背街小巷",
    "夜市",
    "疫苗接种",
    "一网通办",
    "安全生产",
    "文明城市",
    "春运",
    "黄河",
    "绿城",
    "共享单车",
    "学区",
    "菜篮子",
    "燃气安全",
    "用电高峰",
    "停水通知",
    "道路施工",
    "校车",
    "网约车",
    "养老服务",
    "就业",
    "消防",
)
TOPIC_WEIGHTS = tuple(1 / (rank + 1) for rank in range(len(TOPICS)))  # a few hot, a long tail

PLACES = (
    "中原路",
    "建设路",
    "金水路",
    "花园路",
    "农业路",
    "东风路",
    "紫荆山路",
    "嵩山路",
    "大学路",
    "航海路",
    "陇海路",
    "中州大道",
    "郑东新区",
    "经开区",
    "高新区",
    "二七广场",
    "碧沙岗",
    "人民路",
    "文化路",
    "经三路",
    "南阳路",
    "桐柏路",
    "科学大道",
    "商都路",
    "未来路",
)
SERVICES = (
    "公交线路",
    "地铁站口",
    "暖气管网",
    "停车场",
    "小区供水",
    "燃气管道",
    "路灯",
    "人行道",
    "垃圾清运",
    "公厕",
    "菜市场",
    "幼儿园",
    "社区医院",
    "户籍窗口",
    "社保窗口",
    "驾驶证业务",
    "出租车",
    "共享单车停放点",
    "雨水井",
    "绿化带",
)
POST_OPENINGS = (
    "为方便市民出行，",
    "根据市政府统一部署，",
    "近日，",
    "为进一步做好冬季供暖工作，",
    "接广大网友反映，",
    "为保障节假日期间群众出行，",
    "按照全市创文工作要求，",
    "今天上午，",
    "为切实解决群众停车难问题，",
    "经研究决定，",
    "为提升政务服务水平，",
    "温馨提示：",
)
POST_BODIES = (
    "{place}一带的{service}将进行改造，施工期间请绕行。",
    "我局已在{place}增设{service}，欢迎市民监督。",
    "{place}周边{service}的整治工作已全面完成，感谢大家的理解和支持。",
    "自下月起，{place}的{service}将延长服务时间至晚上九点。",
    "公交12路、26路、B1路途经{place}的站点临时调整，请乘客留意站牌。",
    "地铁1号线{place}站新增出入口，方便周边居民换乘公交。",
    "今冬暖气将于11月15日正式供热，{place}片区管网已完成打压试验。",
    "针对{place}停车难问题，新建立体停车场将于年底投入使用。",
    "{place}的{service}存在安全隐患，已责成相关单位限期整改。",
    "我们将在{place}开展集中宣传活动，现场解答群众关于{service}的咨询。",
    "{service}网上办理渠道已开通，群众可在一网通办平台预约。",
    "经检测，{place}片区饮用水各项指标均符合国家标准。",
)
POST_CLOSINGS = (
    "咨询电话：0371-12345。",
    "如有疑问，欢迎在发布厅留言。",
    "特此公告。",
    "感谢市民朋友的支持！",
    "请相互转告。",
    "我们将持续关注并及时回应。",
    "",
    "",
)
QUESTION_TITLES = (
    "{place}{service}什么时候修好？",
    "{place}停车难，能否增设停车位？",
    "{place}小区暖气不热",
    "建议{place}增开公交线路",
    "{place}地铁站口能否加装雨棚？",
    "{service}办理时间太长",
    "{place}夜间施工噪音扰民",
    "{place}路口红绿灯时间太短",
    "{place}的{service}长期损坏",
    "咨询{service}的办理流程",
    "{place}垃圾清运不及时",
    "孩子入学{service}问题咨询",
)
QUESTION_BODIES = (
    "我住在{place}附近，{service}已经坏了两个多星期，每天上下班都很不方便，希望有关部门尽快处理。",
    "{place}一带晚上车辆乱停，停车难问题越来越突出，能不能规划一些公共停车位？",
    "今年供暖以来，我家暖气一直不热，室温只有十四度，多次打电话都没有解决，请帮忙协调。",
    "早高峰{place}公交站排队很长，车次太少，建议增加班次或者开通地铁接驳线。",
    "请问{service}需要准备哪些材料？网上说法不一，希望给一个准确答复。",
    "{place}的{service}施工围挡占了一半人行道，老人孩子走路很危险。",
    "小区门口的{service}年久失修，下雨天积水严重，恳请相关部门实地看看。",
)
REPLIES = (
    "网友您好，您反映的{place}{service}问题已转交施工单位，预计七个工作日内修复完毕。感谢您的监督！",
    "您好，经现场核实，{place}周边将新增临时停车位一百二十个，近期即可投入使用。",
    "您好，供热公司已派维修人员上门检查，问题系楼内管道堵塞，已疏通，请您留意室温变化。",
    "您好，公交公司已根据客流情况在早高峰为途经{place}的线路加开区间车。",
    "您好，办理{service}需携带身份证、户口簿原件，可在一网通办平台预约后到窗口办理。",
    "您好，我们已约谈施工单位，要求规范围挡设置并留出安全通道，欢迎继续监督。",
)
DECLINE_REASONS = ("该事项不属于本部门职责范围，建议向所在区政府反映。", "反映内容不具体，无法核实，请补充详细地址。")
FOLLOWUPS = ("请问具体什么时候能完成？", "已经过了答复的时间，问题还在，请再看看。", "谢谢，还想问一下后续怎么安排？")
PROGRESS = ("已安排工作人员现场查看，正在协调处理。", "相关单位正在制定整改方案，请耐心等待。")
RATING_COMMENTS = ("处理及时，非常满意！", "问题已解决，谢谢。", "答复没有解决实际问题。", "")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红鹏飞建国志宏新利文辉晨宇浩然"


def fill(rng: random.Random, pattern: str, place: str | None = None, service: str | None = None) -> str:
    return pattern.format(place=place or rng.choice(PLACES), service=service or rng.choice(SERVICES))


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def pick_topics(rng: random.Random, count: int) -> list[str]:
    return list(dict.fromkeys(rng.choices(TOPICS, TOPIC_WEIGHTS, k=count)))


OUTAGES = {  # department slug → (notice type, pattern)
    "zilaishui": ("water_outage", "因{place}供水管网改造，{place}周边小区将暂停供水，请居民提前储水。"),
    "gongdian": ("power_outage", "因{place}线路检修，{place}一带将计划停电，请相关单位和居民提前做好准备。"),
    "ranqi": ("gas_outage", "因{place}燃气管道碰口施工，{place}部分小区将暂停供气。"),
    "reli": ("heating_outage", "因{place}热力管网抢修，{place}片区暖气将暂停供热，抢修完成后立即恢复。"),
    "gongjiao": ("bus_change", "因{place}道路施工，途经{place}的公交线路临时绕行，请乘客留意。"),
}
ROADWORK = ("roadwork", "{place}将进行道路施工，施工期间{place}半幅封闭，请过往车辆绕行。")
HIDE_REASONS = ("含有个人隐私信息", "内容与本平台无关")
