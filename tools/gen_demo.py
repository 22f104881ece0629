#!/usr/bin/env python3
"""Generate the demo site's data in content/ (城关县局客户经理绩效通报).

Deterministic: a fixed random seed, no external packages. Run from anywhere:

    python3 tools/gen_demo.py            # writes content/ next to tools/
    python3 tools/gen_demo.py --root DIR # writes DIR/content/

The files follow the data contract in the shared spec (data-format.md).
Re-running the script overwrites content/site.yaml, managers.yaml, results/,
trainings/, training-plan.yaml, competitions/, innovations.yaml,
suggestions.yaml and pages/ with exactly the same bytes.
"""

import argparse
import calendar
import datetime as dt
import os
import random
import re
import shutil

SEED = 20251101
HEADER = "# 演示数据：由 tools/gen_demo.py 生成（固定随机种子），修改后请重新运行脚本或直接编辑本文件。\n"

# --------------------------------------------------------------------------
# YAML emitting helpers (neat, hand-written style like the conformance data)
# --------------------------------------------------------------------------

_PLAIN_BAD = re.compile(r"[,:\[\]{}#&*!|>'\"%@`?]")
_LOOKS_SPECIAL = re.compile(
    r"^(?:[-+]?[0-9][0-9_.:eE+-]*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|\.inf|\.nan|-)$"
)


def q(s):
    """A string scalar, quoted only when a plain scalar would be ambiguous."""
    s = str(s)
    if (
        s == ""
        or s != s.strip()
        or _PLAIN_BAD.search(s)
        or _LOOKS_SPECIAL.match(s)
        or s[0] in "-?"
    ):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def num(x):
    """A number: integers without a decimal point, others with at most 2 decimals."""
    if isinstance(x, bool):
        raise TypeError(x)
    if isinstance(x, int):
        return str(x)
    x = round(float(x), 2)
    if x == int(x):
        return str(int(x))
    return ("%.2f" % x).rstrip("0")


def dec1(x):
    """A measured percentage with exactly one decimal, e.g. 96.0 or 93.5."""
    return "%.1f" % round(x, 1)


def flow(pairs):
    """A flow mapping from (key, already-formatted value) pairs."""
    return "{" + ", ".join("%s: %s" % (k, v) for k, v in pairs) + "}"


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# --------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------

MONTHS = [
    "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
    "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
]


def month_start(m):
    y, mm = map(int, m.split("-"))
    return dt.date(y, mm, 1)


def month_end(m):
    y, mm = map(int, m.split("-"))
    return dt.date(y, mm, calendar.monthrange(y, mm)[1])


def d(s):
    return dt.date.fromisoformat(s)


# --------------------------------------------------------------------------
# Roster
# --------------------------------------------------------------------------

TEAMS = [
    ("chengqu", "城区片区"),
    ("chengjiao", "城郊片区"),
    ("nongcun", "农村片区"),
]

# id, name, team, grade, joined, left, email local part, base ability (-1..1)
MANAGERS = [
    ("zhang-wei", "张伟", "chengqu", "一级客户经理", "2008-07-01", None, "zhangwei", 0.55),
    ("li-na", "李娜", "chengqu", "二级客户经理", "2012-09-01", None, "lina", 0.35),
    ("wang-fang", "王芳", "chengqu", "三级客户经理", "2016-03-01", None, "wangfang", 0.10),
    ("liu-yang", "刘洋", "chengqu", "二级客户经理", "2013-07-15", None, "liuyang", 0.20),
    ("chen-jing", "陈静", "chengqu", "四级客户经理", "2019-08-01", None, "chenjing", -0.25),
    ("zhao-lei", "赵磊", "chengqu", "三级客户经理", "2017-04-10", None, "zhaolei", -0.05),
    ("zhou-min", "周敏", "chengjiao", "一级客户经理", "2007-10-08", None, "zhoumin", 0.45),
    ("sun-hao", "孙浩", "chengjiao", "二级客户经理", "2011-05-20", None, "sunhao", 0.15),
    ("wu-qiang", "吴强", "chengjiao", "三级客户经理", "2015-06-01", None, "wuqiang", -0.10),
    ("xu-li", "徐丽", "chengjiao", "四级客户经理", "2020-07-01", None, "xuli", -0.30),
    ("hu-jun", "胡军", "chengjiao", "二级客户经理", "2014-03-03", "2026-06-30", "hujun", 0.05),
    ("ma-xiaoyu", "马晓雨", "chengjiao", "三级客户经理", "2018-02-26", None, "maxiaoyu", 0.00),
    ("he-jianjun", "何建军", "nongcun", "一级客户经理", "2006-03-01", None, "hejianjun", 0.40),
    ("zheng-hua", "郑华", "nongcun", "二级客户经理", "2010-08-16", None, "zhenghua", 0.10),
    ("luo-ting", "罗婷", "nongcun", "三级客户经理", "2018-09-03", None, "luoting", 0.05),
    ("liang-chao", "梁超", "nongcun", "三级客户经理", "2016-11-21", None, "liangchao", -0.20),
    ("song-yanan", "宋亚楠", "nongcun", "四级客户经理", "2021-07-05", None, "songyanan", -0.35),
    ("tang-peng", "唐鹏", "nongcun", "见习客户经理", "2026-03-09", None, "tangpeng", -0.45),
]
EMAIL_DOMAIN = "cgxyc.example.com"
LEAVER = "hu-jun"
JOINED_MONTH = "2026-03"
JOINER = "tang-peng"

M = {row[0]: row for row in MANAGERS}


def joined(mid):
    return d(M[mid][4])


def left(mid):
    return d(M[mid][5]) if M[mid][5] else None


def employed_on(mid, day):
    lv = left(mid)
    return joined(mid) <= day and (lv is None or day <= lv)


def ranked_in(mid, month):
    """Listed in a results month: joined by its end, not left before its start."""
    lv = left(mid)
    return joined(mid) <= month_end(month) and (lv is None or lv >= month_start(month))


# --------------------------------------------------------------------------
# site.yaml (static, with comments for office staff)
# --------------------------------------------------------------------------

SITE_YAML = HEADER + """\
# ---------------------------------------------------------------------------
# 站点设置与考核模型。指标按此顺序显示；改动权重等参数后，重新构建即可重新计分。
# ---------------------------------------------------------------------------
title: 城关县局客户经理绩效通报          # 网站和每月通报的标题
organization: 城关县烟草专卖局营销部      # 发布单位，显示在页眉页脚
language: zh-CN                          # 界面语言：zh-CN 中文，en 英文
base_url: https://kpi.cgxyc.example.com  # 网站的正式地址，仅用于邮件中的链接

# 考核指标（满分合计 100 分，另有加分、扣分）。
# method（计分方法）说明：
#   ratio    完成率：实际 ÷ 任务；低于 floor 得 0 分，超过 cap 按 cap 计；得分 = 权重 × 完成率
#   percent  百分数：得分 = 权重 × 数值 ÷ 100
#   linear   线性：达到 target 得满分（权重）；每低 1 个单位扣 per_unit_below 分，
#            每高 1 个单位加 per_unit_above 分；得分限定在 min 与 max 之间
#   deduct   扣分项：每发生 1 次扣 per_unit 分，最多扣 limit 分
#   training 培训考核：按当月参加培训的成绩计分，无需在月度结果中填写；
#            当月没有培训成绩的按满分计
indicators:
  # —— 营销业绩 ——
  # 卷烟销量：完成率低于 80% 不得分，最高按 120% 计（满分 20，封顶 24 分）
  - {id: sales, name: 卷烟销量完成率, group: 营销业绩, method: ratio, weight: 20, cap: 1.2, floor: 0.8}
  # 条均价（单条结构）：最高按 110% 计，低于 90% 不得分
  - {id: price, name: 条均价完成率, group: 营销业绩, method: ratio, weight: 10, cap: 1.1, floor: 0.9}
  # —— 需求预测 ——
  # 预测准确率以 95% 为标准：每低 1 个百分点扣 0.5 分，每高 1 个百分点加 1 分，最高 18 分
  - {id: forecast, name: 需求预测准确率, group: 需求预测, method: linear, weight: 15, target: 95, per_unit_below: 0.5, per_unit_above: 1, min: 0, max: 18}
  # —— 品牌培育 ——
  # 重点品牌（含新品）培育：完成率最高按 120% 计，不设下限
  - {id: brand, name: 重点品牌培育完成率, group: 品牌培育, method: ratio, weight: 20, cap: 1.2}
  # 新品铺货率：直接按百分数折算
  - {id: coverage, name: 新品铺货率, group: 品牌培育, method: percent, weight: 5}
  # —— 服务客户 ——
  # 拜访到位率：按百分数折算
  - {id: visits, name: 拜访到位率, group: 服务客户, method: percent, weight: 10}
  # 客户满意度以 90 分为标准：每低 1 分扣 1 分，每高 1 分加 0.2 分，最高 12 分
  - {id: satisfaction, name: 客户满意度, group: 服务客户, method: linear, weight: 10, target: 90, per_unit_below: 1, per_unit_above: 0.2, min: 0, max: 12}
  # 有效投诉：每件扣 2 分，每月最多扣 6 分（填写当月件数）
  - {id: complaints, name: 有效投诉, group: 服务客户, method: deduct, per_unit: 2, limit: 6}
  # —— 学习培训 ——
  - {id: training, name: 培训考核, group: 学习培训, method: training, weight: 10}

# 月度评星：indicator 为排序依据（total 表示按总分），top 为名额（并列者同时当选），
# min 为当选的最低门槛（完成率类指标填小数，如 1.0 表示 100%）。被一票否决者不参评。
awards:
  - {id: brand-star, name: 品牌培育之星, indicator: brand, top: 1, min: 1.0}
  - {id: sales-star, name: 营销业绩之星, indicator: sales, top: 1, min: 1.0}
  - {id: forecast-star, name: 需求预测之星, indicator: forecast, top: 2, min: 95}
  - {id: overall, name: 综合之星, indicator: total, top: 3}

# 后进名单：每月总分最低的 3 人（并列者一并列入）；填 0 则不公布。
# escalate_after：连续 3 个月列入后进名单的，列为“连续后进”，按规定约谈处理（0 或不填则不启用）
watch:
  bottom: 3
  escalate_after: 3

# 培训成绩达到 60 分为合格
training:
  pass_mark: 60

# 货源需求建议、紧俏货源投放意见被采纳的，每条在提出当月加 0.5 分
suggestions:
  bonus_per_adopted: 0.5

# 年度评先评优：取年度平均分前 3 名（并列者一并入围）；
# 当年参加排名不少于 6 个月且无一票否决记录者方可入围
# promotion_months：全年评为第一个等次（优秀）满 4 个月、无一票否决的，列为岗位晋升候选人；
# demotion_months：全年评为最后一个等次（不合格）满 2 个月的，列为岗位降级候选人（0 或不填则不启用）
annual:
  excellence_top: 3
  min_months: 6
  promotion_months: 4
  demotion_months: 2

# 考核等次（由高到低，至少两个），每月按名次依次评定：
#   quota        名额占当月参加排名人数的百分比（向下取整，与最后一名同分者一并评入）
#   min          评入该等次的最低总分
#   coefficient  绩效系数，用于计算绩效工资（不填为 1）
# 最后一个等次不设 quota、min，其余人员都评入该等次；一票否决者直接评为最后一个等次。
ratings:
  - {id: excellent, name: 优秀, quota: 20, coefficient: 1.2}
  - {id: good, name: 良好, quota: 30, min: 95, coefficient: 1.1}
  - {id: pass, name: 合格, min: 90, coefficient: 1.0}
  - {id: fail, name: 不合格, coefficient: 0.6}

# 绩效工资（保密：只由 rankpress payroll 写入 payroll/ 目录，绝不进入网站）：
#   method: pool    每月总额 pool 元，按“总分 × 绩效系数”的比例分配到分，合计恰好等于总额
#   method: rating  每人 = 基数 base 元 × 绩效系数
pay:
  method: pool
  pool: 54000

# 岗位职级序列（由低到高），managers.yaml 中的 grade 必须是其中之一；
# 晋升、降级候选人按此给出“现职级 → 建议职级”
grades: [见习客户经理, 四级客户经理, 三级客户经理, 二级客户经理, 一级客户经理]

# 月度通报邮件（rankpress bulletin 生成，rankpress send 发送），说明见 docs/bulletin.md。
# 账号和密码只从环境变量读取，不写在这里。
bulletin:
  from: "绩效通报 <kpi@cgxyc.example.com>"
  to: ["all-managers@cgxyc.example.com"]   # 团队通报的收件人
  personal: true                           # 另给每位有邮箱的客户经理发个人通报
  smtp:
    host: smtp.cgxyc.example.com
    port: 587
    security: starttls                     # starttls | tls | none
    username_env: RANKPRESS_SMTP_USER
    password_env: RANKPRESS_SMTP_PASSWORD
"""

INDICATORS = [
    # id, method, weight, params
    ("sales", "ratio", 20, dict(cap=1.2, floor=0.8)),
    ("price", "ratio", 10, dict(cap=1.1, floor=0.9)),
    ("forecast", "linear", 15, dict(target=95, per_unit_below=0.5, per_unit_above=1, min=0, max=18)),
    ("brand", "ratio", 20, dict(cap=1.2, floor=0.0)),
    ("coverage", "percent", 5, {}),
    ("visits", "percent", 10, {}),
    ("satisfaction", "linear", 10, dict(target=90, per_unit_below=1, per_unit_above=0.2, min=0, max=12)),
    ("complaints", "deduct", None, dict(per_unit=2, limit=6)),
    ("training", "training", 10, {}),
]


def managers_yaml():
    out = [HEADER]
    out.append("# 片区（班组）。id 用于文件和网址，只能用小写字母、数字、- 和 _。\n")
    out.append("teams:\n")
    for tid, tname in TEAMS:
        out.append("  - %s\n" % flow([("id", tid), ("name", q(tname))]))
    out.append("\n# 客户经理名册。离职、调岗的人员保留在名册中并填写 left（离岗日期），\n")
    out.append("# 以便历史通报仍能显示其姓名；新入职人员填写 joined（入职日期）。\n")
    out.append("managers:\n")
    for mid, name, team, grade, jn, lv, mail, _ in MANAGERS:
        out.append("  - id: %s\n" % mid)
        out.append("    name: %s\n" % q(name))
        out.append("    team: %s\n" % team)
        out.append("    grade: %s\n" % q(grade))
        if mid == JOINER:
            out.append("    joined: %s      # 2026年3月新入职，当月起参加排名\n" % jn)
        else:
            out.append("    joined: %s\n" % jn)
        if lv:
            out.append("    left: %s        # 调任市局专卖管理岗位，7月起不再参加排名\n" % lv)
        out.append("    email: %s@%s\n" % (mail, EMAIL_DOMAIN))
    return "".join(out)


# --------------------------------------------------------------------------
# Training plan and sessions (static schedule; attendance is generated)
# --------------------------------------------------------------------------

# id, month, title, kind
PLANS = [
    ("p-2025-11-a", "2025-11", "《烟草专卖法》及实施条例学习", "routine"),
    ("p-2025-11-b", "2025-11", "零售终端陈列与动销技巧培训", "routine"),
    ("p-2025-12-a", "2025-12", "廉洁从业警示教育", "routine"),
    ("p-2025-12-b", "2025-12", "卷烟商品营销员技能鉴定辅导", "vocational"),
    ("p-2026-01-a", "2026-01", "春节旺季新品推介与货源组织", "routine"),
    ("p-2026-01-b", "2026-01", "节日期间市场监管政策解读", "routine"),
    ("p-2026-01-c", "2026-01", "营销数据分析工具应用培训", "routine"),
    ("p-2026-02-a", "2026-02", "服务礼仪与沟通技巧培训", "routine"),
    ("p-2026-03-a", "2026-03", "新入职客户经理岗前培训", "pre_job"),
    ("p-2026-03-b", "2026-03", "需求预测方法与订单分析", "routine"),
    ("p-2026-04-a", "2026-04", "职业道德与诚信经营", "routine"),
    ("p-2026-04-b", "2026-04", "一季度新品市场表现与推介话术", "routine"),
    ("p-2026-05-a", "2026-05", "服务礼仪规范实训", "routine"),
    ("p-2026-05-b", "2026-05", "晋升二级客户经理专题培训", "promotion"),
    ("p-2026-05-c", "2026-05", "零售户经营指导能力提升", "routine"),
    ("p-2026-06-a", "2026-06", "卷烟零售许可管理新规解读", "routine"),
    ("p-2026-06-b", "2026-06", "品牌培育案例交流", "routine"),
    ("p-2026-07-a", "2026-07", "纪律作风教育", "routine"),
    ("p-2026-07-b", "2026-07", "卷烟商品营销员技能鉴定培训", "vocational"),
    ("p-2026-08-a", "2026-08", "中秋国庆旺季新品推介", "routine"),
    ("p-2026-08-b", "2026-08", "晋升一级客户经理专题培训", "promotion"),
    ("p-2026-09-a", "2026-09", "职业技能竞赛赛前集训", "vocational"),
    ("p-2026-09-b", "2026-09", "旺季服务规范培训", "routine"),
    ("p-2026-09-c", "2026-09", "数字化营销工具应用培训", "routine"),
    ("p-2026-10-a", "2026-10", "终端数据采集与客户画像", "routine"),
    ("p-2026-10-b", "2026-10", "专卖法规知识测试", "routine"),
]
# Plan entries deliberately never carried out by a session (有头无尾).
PLANS_NOT_HELD = ["p-2026-01-c", "p-2026-05-c", "p-2026-09-c"]

# slug, date, title, kind, topic, hours, instructor, plan, who, assessed
#   who: "all" (everyone employed that day), "joiner", or a grade filter tuple
SESSIONS = [
    ("zhuanmaifa", "2025-11-06", "《烟草专卖法》及实施条例学习", "routine", "政策法规", 3, "陈志强", "p-2025-11-a", "all", True),
    ("chenlie", "2025-11-20", "零售终端陈列与动销技巧", "routine", "营销技巧", 2, "王建国", "p-2025-11-b", "all", True),
    ("lianjie", "2025-12-04", "廉洁从业警示教育", "routine", "思想道德", 2, "纪检组 刘淑芬", "p-2025-12-a", "all", False),
    ("jianding-fudao", "2025-12-18", "卷烟商品营销员（四级）技能鉴定辅导", "vocational", "营销技巧", 8, "市局培训中心 黄海涛", "p-2025-12-b", ("三级客户经理", "四级客户经理"), True),
    ("chunjie-xinpin", "2026-01-08", "春节旺季新品推介与货源组织", "routine", "新品推介", 3, "王建国", "p-2026-01-a", "all", True),
    ("jieri-jianguan", "2026-01-22", "节日期间市场监管政策解读", "routine", "政策法规", 2, "陈志强", "p-2026-01-b", "all", False),
    ("liyi-goutong", "2026-02-26", "服务礼仪与沟通技巧", "routine", "服务礼仪", 3, "林晓燕", "p-2026-02-a", "all", True),
    ("gangqian-1", "2026-03-12", "岗前培训（一）：岗位职责与专卖法规", "pre_job", "政策法规", 8, "陈志强", "p-2026-03-a", "joiner", True),
    ("gangqian-2", "2026-03-13", "岗前培训（二）：营销系统操作与拜访流程", "pre_job", "营销技巧", 8, "王建国", "p-2026-03-a", "joiner", True),
    ("yuce-fangfa", "2026-03-26", "需求预测方法与订单分析", "routine", "营销技巧", 3, "王建国", "p-2026-03-b", "all", True),
    ("zhiye-daode", "2026-04-09", "职业道德与诚信经营", "routine", "思想道德", 2, "刘淑芬", "p-2026-04-a", "all", True),
    ("xinpin-huashu", "2026-04-23", "一季度新品市场表现与推介话术", "routine", "新品推介", 2, "王建国", "p-2026-04-b", "all", True),
    ("liyi-shixun", "2026-05-14", "服务礼仪规范实训（竞赛赛前辅导）", "routine", "服务礼仪", 4, "林晓燕", "p-2026-05-a", "all", True),
    ("jinsheng-erji", "2026-05-28", "晋升二级客户经理专题培训", "promotion", "营销技巧", 4, "市局培训中心 黄海涛", "p-2026-05-b", ("三级客户经理",), True),
    ("xuke-xingui", "2026-06-11", "卷烟零售许可管理新规解读", "routine", "政策法规", 2, "陈志强", "p-2026-06-a", "all", True),
    ("pinpai-anli", "2026-06-25", "品牌培育案例交流", "routine", "营销技巧", 3, "王建国", "p-2026-06-b", "all", False),
    ("jilv-zuofeng", "2026-07-09", "纪律作风教育（违规套购案例警示）", "routine", "思想道德", 2, "刘淑芬", "p-2026-07-a", "all", False),
    ("jianding-sanji", "2026-07-23", "卷烟商品营销员（三级）技能鉴定培训", "vocational", "营销技巧", 8, "市局培训中心 黄海涛", "p-2026-07-b", ("二级客户经理", "三级客户经理", "四级客户经理"), True),
    ("wangji-xinpin", "2026-08-13", "中秋国庆旺季新品推介", "routine", "新品推介", 3, "王建国", "p-2026-08-a", "all", True),
    ("jinsheng-yiji", "2026-08-27", "晋升一级客户经理专题：市场分析与政策研判", "promotion", "政策法规", 4, "市局培训中心 黄海涛", "p-2026-08-b", ("二级客户经理",), True),
    ("saiqian-jixun", "2026-09-03", "职业技能竞赛赛前集训", "vocational", "营销技巧", 6, "王建国", "p-2026-09-a", ("一级客户经理", "二级客户经理", "三级客户经理"), True),
    ("wangji-fuwu", "2026-09-17", "旺季服务规范", "routine", "服务礼仪", 2, "林晓燕", "p-2026-09-b", "all", True),
    ("huaxiang", "2026-10-15", "终端数据采集与客户画像", "routine", "营销技巧", 3, "王建国", "p-2026-10-a", "all", True),
    ("fagui-ceshi", "2026-10-29", "专卖法规知识测试", "routine", "政策法规", 1, "陈志强", "p-2026-10-b", "all", True),
    ("anquan", "2026-10-30", "秋冬季安全生产与道路交通安全", "routine", "安全生产", 1, "办公室 赵立新", None, "all", False),
]

EXCUSE_REASONS = ["病假", "事假", "外出学习", "病假", "事假"]


def session_id(date, slug):
    return "t-%s-%s" % (date, slug)


def gen_trainings(rng, ability):
    """Return list of session dicts with attendee records."""
    sessions = []
    for slug, date, title, kind, topic, hours, instr, plan, who, assessed in SESSIONS:
        day = d(date)
        if who == "all":
            people = [m for m in M if employed_on(m, day)]
        elif who == "joiner":
            people = [JOINER]
        else:
            people = [m for m in M if M[m][3] in who and employed_on(m, day)]
        att = {}
        for mid in people:
            r = rng.random()
            if who == "joiner":
                r = 0.5  # the new joiner attends his own induction
            if r < 0.055:
                att[mid] = {"present": False, "excused": True, "reason": rng.choice(EXCUSE_REASONS)}
            elif r < 0.075:
                att[mid] = {"present": False}
            else:
                rec = {"present": True}
                if assessed and rng.random() > 0.05:
                    s = 79 + 12 * ability[mid] + rng.gauss(0, 9)
                    rec["score"] = int(round(min(100, max(55, s))))
                att[mid] = rec
        sessions.append(dict(id=session_id(date, slug), title=title, date=date, kind=kind,
                             topic=topic, hours=hours, instructor=instr, plan=plan,
                             attendees=att))
    return sessions


def session_yaml(s):
    out = [HEADER]
    out.append("id: %s\n" % s["id"])
    out.append("title: %s\n" % q(s["title"]))
    out.append("date: %s\n" % s["date"])
    out.append("kind: %s\n" % s["kind"])
    out.append("topic: %s\n" % q(s["topic"]))
    out.append("hours: %s\n" % num(s["hours"]))
    if s["instructor"]:
        out.append("instructor: %s\n" % q(s["instructor"]))
    if s["plan"]:
        out.append("plan: %s\n" % s["plan"])
    out.append("attendees:\n")
    for mid, rec in s["attendees"].items():
        pairs = [("present", "true" if rec["present"] else "false")]
        if "score" in rec:
            pairs.append(("score", num(rec["score"])))
        if "excused" in rec:
            pairs.append(("excused", "true" if rec["excused"] else "false"))
        if "reason" in rec:
            pairs.append(("reason", q(rec["reason"])))
        out.append("  %s: %s\n" % (mid, flow(pairs)))
    return "".join(out)


def plan_yaml():
    out = [HEADER]
    out.append("# 年度培训计划。培训记录中的 plan 字段引用这里的 id，用于统计计划完成率。\n")
    out.append("plans:\n")
    cur = None
    for pid, month, title, kind in PLANS:
        if month != cur:
            out.append("  # %s\n" % month)
            cur = month
        note = "   # 未举办" if pid in PLANS_NOT_HELD else ""
        out.append("  - %s%s\n" % (flow([("id", pid), ("month", month), ("title", q(title)), ("kind", kind)]), note))
    return "".join(out)


# --------------------------------------------------------------------------
# Competitions, innovations, suggestions (static)
# --------------------------------------------------------------------------

COMPETITIONS = [
    ("liyi-2026", "2026年服务礼仪技能竞赛", "2026-05-22", [
        ("luo-ting", 1, "一等奖", 2),
        ("chen-jing", 2, "二等奖", 1),
        ("li-na", 3, "二等奖", 1),
        ("xu-li", 4, "三等奖", 0.5),
        ("hu-jun", 5, "三等奖", 0.5),
        ("song-yanan", 6, "三等奖", 0.5),
    ]),
    ("skills-2026", "2026年卷烟营销职业技能竞赛", "2026-09-20", [
        ("zhou-min", 1, "一等奖", 3),
        ("zhao-lei", 2, "二等奖", 2),
        ("he-jianjun", 3, "二等奖", 2),
        ("wang-fang", 4, "三等奖", 1),
        ("sun-hao", 5, "三等奖", 1),
        ("tang-peng", 6, "三等奖", 1),
    ]),
]

INNOVATIONS = [
    ("wechat-reminder", "零售户微信订货提醒", "2025-12", ["li-na", "zhang-wei"], "二等奖", 1),
    ("rural-route", "农村片区拜访线路优化", "2026-03", ["he-jianjun", "luo-ting", "zheng-hua"], "三等奖", 0.5),
    ("forecast-sheet", "需求预测辅助测算表", "2026-06", ["zhou-min"], "一等奖", 2),
    ("display-guide", "零售终端陈列标准图册", "2026-09", ["wang-fang", "xu-li"], "二等奖", 1),
]

# manager, month, kind, text, adopted
SUGGESTIONS = [
    ("zhang-wei", "2025-11", "supply", "城北商圈中华(硬)需求上升，建议适当增加货源", True),
    ("he-jianjun", "2025-12", "allocation", "春节前紧俏品牌向乡镇集市网点倾斜投放", True),
    ("sun-hao", "2025-12", "supply", "城郊工业园区细支烟需求增长，建议增加黄鹤楼(天下名楼)细支货源", False),
    ("li-na", "2026-01", "allocation", "紧俏货源按零售户档位与诚信等级综合投放，避免平均分配", True),
    ("luo-ting", "2026-02", "supply", "节后农村市场低价位卷烟需求回落，建议下调订货上限", False),
    ("zhou-min", "2026-05", "allocation", "城郊片区新开便利店较多，建议预留部分新品投放名额", True),
    ("wu-qiang", "2026-06", "supply", "高温季节景区周边需求上升，建议增加中支卷烟货源", False),
    ("zheng-hua", "2026-07", "supply", "建议控制利群(阳光)在农村片区的投放量，防止外流", True),
    ("chen-jing", "2026-08", "allocation", "中秋国庆期间紧俏货源分两批投放，减少零售户囤货", True),
    ("tang-peng", "2026-08", "supply", "新建安置小区零售户增多，建议增加常规规格货源", False),
    ("ma-xiaoyu", "2026-09", "allocation", "建议对城郊餐饮类终端单列紧俏货源投放档位", False),
]


def competition_yaml(c):
    cid, name, date, rows = c
    out = [HEADER, "id: %s\n" % cid, "name: %s\n" % q(name), "date: %s\n" % date, "results:\n"]
    for mid, place, prize, bonus in rows:
        out.append("  - %s\n" % flow([("manager", mid), ("place", num(place)), ("prize", q(prize)), ("bonus", num(bonus))]))
    return "".join(out)


def innovations_yaml():
    out = [HEADER, "# 创新成果。bonus 为成果所在月份给每位完成人的加分。\n", "innovations:\n"]
    for iid, title, month, mids, grade, bonus in INNOVATIONS:
        out.append("  - %s\n" % flow([("id", iid), ("title", q(title)), ("month", month),
                                     ("managers", "[" + ", ".join(mids) + "]"),
                                     ("grade", q(grade)), ("bonus", num(bonus))]))
    return "".join(out)


def suggestions_yaml():
    out = [HEADER,
           "# 货源需求建议（supply）与紧俏货源区域投放意见（allocation）。\n",
           "# adopted: true 表示被采纳，按 site.yaml 中 suggestions.bonus_per_adopted 在当月加分。\n",
           "suggestions:\n"]
    for mid, month, kind, text, adopted in SUGGESTIONS:
        out.append("  - %s\n" % flow([("manager", mid), ("month", month), ("kind", kind), ("text", q(text)),
                                     ("adopted", "true" if adopted else "false")]))
    return "".join(out)


# --------------------------------------------------------------------------
# Monthly results
# --------------------------------------------------------------------------

# Seasonal factor on the monthly sales target (元旦春节旺季, 中秋国庆旺季).
SEASON = {"2025-11": 0.95, "2025-12": 1.05, "2026-01": 1.35, "2026-02": 0.80, "2026-03": 0.85,
          "2026-04": 0.95, "2026-05": 1.00, "2026-06": 0.95, "2026-07": 0.95, "2026-08": 1.00,
          "2026-09": 1.20, "2026-10": 0.95}

BONUS_REASONS = ["协助专卖市场检查", "参与春节保供工作", "信息宣传稿件被市局采用", "零售户来信表扬",
                 "协助开展卷烟打假", "协助处置零售户纠纷", "完成市局专项调研"]
DEDUCT_REASONS = ["需求预测上报延迟", "拜访记录补录", "零售终端建设台账不全", "未按时参加月度例会",
                  "订单异常未及时核实"]

VETO = ("2026-07", "liang-chao", "违规套购")
TIE_MONTH = "2026-04"


def clip(x, lo, hi):
    return max(lo, min(hi, x))


def gen_results(rng):
    base = {}
    for mid, _, team, grade, *_rest in MANAGERS:
        lvl = {"chengqu": 1.15, "chengjiao": 1.0, "nongcun": 0.85}[team]
        base[mid] = dict(
            sales=rng.randint(280, 420) * lvl,
            price={"chengqu": 245, "chengjiao": 215, "nongcun": 185}[team] + rng.randint(-12, 12),
            brand=rng.randint(60, 110) * lvl,
        )
    if JOINER in base:  # the new joiner takes over a smaller route
        base[JOINER]["sales"] *= 0.7
        base[JOINER]["brand"] *= 0.7
    form = {mid: rng.gauss(0, 0.5) for mid in M}
    months = {}
    for i, month in enumerate(MONTHS):
        rows = {}
        for mid, *_rest, ab in MANAGERS:
            form[mid] = 0.4 * form[mid] + rng.gauss(0, 0.6)
            if not ranked_in(mid, month):
                continue
            if mid == JOINER:  # a new joiner needs a few months to catch up
                ab = min(ab, -0.9 + 0.12 * (i - MONTHS.index(JOINED_MONTH)))
            p = ab + form[mid]
            st = int(round(base[mid]["sales"] * SEASON[month] * rng.uniform(0.95, 1.05) / 5.0)) * 5
            sr = clip(1.0 + 0.06 * p + rng.gauss(0, 0.05), 0.83, 1.22)
            pt = int(round(base[mid]["price"] * rng.uniform(0.98, 1.02)))
            pr = clip(1.0 + 0.025 * p + rng.gauss(0, 0.02), 0.92, 1.09)
            bt = int(round(base[mid]["brand"] * SEASON[month] * rng.uniform(0.95, 1.05)))
            br = clip(1.0 + 0.08 * p + rng.gauss(0, 0.07), 0.78, 1.26)
            e = dict(
                sales=(int(round(st * sr)), st),
                price=(int(round(pt * pr)), pt),
                forecast=round(clip(94.5 + 2.0 * p + rng.gauss(0, 1.6), 88.0, 99.6), 1),
                brand=(int(round(bt * br)), bt),
                coverage=round(clip(91 + 3.0 * p + rng.gauss(0, 2.5), 78, 100), 1),
                visits=round(clip(94 + 2.0 * p + rng.gauss(0, 1.8), 88, 99.5), 1),
                satisfaction=round(clip(93.5 + 2.0 * p + rng.gauss(0, 1.6), 88, 99.5), 1),
            )
            r = rng.random()
            e["complaints"] = 0 if r < 0.82 else 1 if r < 0.95 else 2 if r < 0.985 else 3
            if rng.random() < 0.10:
                reason = rng.choice(BONUS_REASONS)
                if reason == "参与春节保供工作" and month not in ("2026-01", "2026-02"):
                    reason = "协助专卖市场检查"
                e["bonus"] = [(rng.choice([0.5, 1, 1, 1.5, 2]), reason)]
            if rng.random() < 0.07:
                e["deductions"] = [(rng.choice([0.5, 0.5, 1, 2]), rng.choice(DEDUCT_REASONS))]
            rows[mid] = e
        months[month] = rows
    # The one veto of the year.
    vm, vmid, vreason = VETO
    months[vm][vmid]["veto"] = vreason
    # Some hand-picked bonus / deduction items so several months carry them.
    months["2026-01"]["he-jianjun"]["bonus"] = [(1, "参与春节保供工作"), (0.5, "信息宣传稿件被市局采用")]
    months["2026-01"]["zhao-lei"]["bonus"] = [(1, "参与春节保供工作")]
    months["2025-12"]["wu-qiang"]["deductions"] = [(1, "需求预测上报延迟")]
    months["2026-02"]["song-yanan"]["deductions"] = [(1, "节后复工拜访不到位")]
    months["2026-10"]["wu-qiang"]["deductions"] = [(0.5, "需求预测上报延迟"), (0.5, "拜访记录补录")]
    return months


# Scoring, exactly as the contract defines it (used to pick the tie and to
# describe months; the checker recomputes independently from the YAML).
def training_marks(sessions, month):
    marks = {}
    for s in sessions:
        if not s["date"].startswith(month):
            continue
        for mid, rec in s["attendees"].items():
            if rec["present"]:
                if "score" in rec:
                    marks.setdefault(mid, []).append(rec["score"])
            elif not rec.get("excused"):
                marks.setdefault(mid, []).append(0)
    return {k: sum(v) / len(v) for k, v in marks.items()}


def extra_bonus(month):
    b = {}
    for _, _, date, rows in COMPETITIONS:
        if date.startswith(month):
            for mid, _, _, bonus in rows:
                b[mid] = b.get(mid, 0) + bonus
    for _, _, m, mids, _, bonus in INNOVATIONS:
        if m == month:
            for mid in mids:
                b[mid] = b.get(mid, 0) + bonus
    for mid, m, _, _, adopted in SUGGESTIONS:
        if m == month and adopted:
            b[mid] = b.get(mid, 0) + 0.5
    return b


def totals(month, rows, sessions):
    tm = training_marks(sessions, month)
    eb = extra_bonus(month)
    out = {}
    for mid, e in rows.items():
        t = 0.0
        for iid, method, w, prm in INDICATORS:
            if method == "ratio":
                a, tg = e[iid]
                r = a / tg
                s = 0.0 if r < prm["floor"] else w * min(r, prm["cap"])
            elif method == "percent":
                s = w * e[iid] / 100
            elif method == "linear":
                v = e[iid]
                s = w - prm["per_unit_below"] * max(0, prm["target"] - v) + prm["per_unit_above"] * max(0, v - prm["target"])
                s = min(max(s, prm["min"]), prm["max"])
            elif method == "deduct":
                s = -min(prm["per_unit"] * e[iid], prm["limit"])
            else:
                s = w if mid not in tm else w * tm[mid] / 100
            t += s
        bonus = sum(p for p, _ in e.get("bonus", [])) + eb.get(mid, 0)
        ded = sum(p for p, _ in e.get("deductions", []))
        t = t + bonus - ded
        out[mid] = 0.0 if "veto" in e else round(t * 100) / 100
    return out


def _same_ratio(ea, eb):
    """Adjust (actual, target) pairs minimally so that actual/target is the same
    rational number for both managers: equal rationals divide to the same double,
    while each keeps a target of his own size."""
    (a0, ta0), (b0, tb0) = ea, eb
    best = None
    for da in range(-3, 4):
        for dta in range(-6, 7):
            for dtb in range(-25, 26):
                a, ta, tb = a0 + da, ta0 + dta, tb0 + dtb
                if (a * tb) % ta:
                    continue
                cost = abs(da) + abs(dta) + abs(dtb) / 4
                if best is None or cost < best[0]:
                    best = (cost, (a, ta), (a * tb // ta, tb))
    assert best is not None, (ea, eb)
    return best[1], best[2]


def make_tie(months, sessions):
    """Give the 3rd-ranked manager and a mid-table colleague identical totals:
    the same completion ratios (each on his own targets), the same measured
    values and the same training record in the month."""
    rows = months[TIE_MONTH]
    tot = totals(TIE_MONTH, rows, sessions)
    eb = extra_bonus(TIE_MONTH)
    order = sorted(rows, key=lambda m: (-tot[m], m))
    a = next(m for m in order[2:] if m not in eb)
    b = next(m for m in order[order.index(a) + 3:] if m not in eb and m != JOINER and M[m][2] != M[a][2])
    ea, new_b = rows[a], {}
    for iid, method, _, _ in INDICATORS:
        if method == "ratio":
            ea[iid], new_b[iid] = _same_ratio(ea[iid], rows[b][iid])
        elif method != "training":
            new_b[iid] = ea[iid]
    for key in ("bonus", "deductions"):
        if key in ea:
            new_b[key] = list(ea[key])
    rows[b] = new_b
    for s in sessions:
        if s["date"].startswith(TIE_MONTH):
            if a in s["attendees"]:
                s["attendees"][b] = dict(s["attendees"][a])
            else:
                s["attendees"].pop(b, None)
    tot = totals(TIE_MONTH, rows, sessions)
    assert tot[a] == tot[b], (a, b, tot[a], tot[b])
    return a, b


# Month commentary (通报说明). {sales} / {brand} are the county's completion
# percentages and {best_team} the team with the best sales completion, computed
# from the month's data so the text always agrees with the figures.
NOTES = {
    "2025-11": """\
**11月份**全县卷烟销量完成月度计划的 **{sales}%**，重点品牌培育完成 **{brand}%**，{best_team}完成情况最好。
- 组织学习《烟草专卖法》及实施条例，全体客户经理参加考试；
- 新品铺货率偏低的客户经理，请对照名单逐户补铺。
""",
    "2025-12": """\
**12月份**为年末冲刺月，全县卷烟销量完成 **{sales}%**，重点品牌培育完成 **{brand}%**。
- **需求预测**：个别客户经理预测上报延迟，已按规定扣分；
- **创新成果**：“零售户微信订货提醒”获评二等奖，对完成人加分；
- 元旦春节旺季即将到来，请提前做好零售户订货指导。
""",
    "2026-01": """\
**1月份**为春节旺季，销量任务较平时上浮约三成，全县完成 **{sales}%**。
- 全体客户经理积极参与**春节保供**工作，相关人员已予加分；
- 紧俏货源严格按档位和诚信等级投放，未发现违规情况；
- 原计划的“营销数据分析工具应用培训”因保供任务推迟，未能举办。
""",
    "2026-02": """\
**2月份**受春节假期影响，节后市场有所回落，全县卷烟销量完成 **{sales}%**。
- 请各片区做好**节后复工拜访**，及时掌握零售户库存；
- 个别客户经理节后拜访不到位，已扣分并限期整改。
""",
    "2026-03": """\
**3月份**新入职客户经理 **唐鹏** 到农村片区报到，已完成岗前培训，本月起参加排名。
- 全县卷烟销量完成 **{sales}%**，{best_team}完成情况最好；
- 农村片区“拜访线路优化”获评创新成果三等奖；
- 需求预测方法培训已完成，请各位对照预测偏差逐户分析原因。
""",
    "2026-04": """\
**4月份**全县卷烟销量完成 **{sales}%**，各项指标总体平稳。
- 本月综合得分出现**并列**，并列者名次相同，评星时一并当选；
- 一季度新品市场表现总结已下发，请结合话术培训开展推介。
""",
    "2026-05": """\
**5月份**举办**2026年服务礼仪技能竞赛**，获奖人员按名次加分。
- 全县卷烟销量完成 **{sales}%**，重点品牌培育完成 **{brand}%**；
- 晋升二级客户经理专题培训已完成，成绩记入培训考核；
- 计划中的“零售户经营指导能力提升”培训因场地原因未能举办，顺延安排。
""",
    "2026-06": """\
**6月份**为上半年收官月，全县卷烟销量完成 **{sales}%**。
- 城郊片区 **胡军** 同志月底调任市局专卖管理岗位，7月起不再参加排名，所辖零售户由片区内调整分配；
- “需求预测辅助测算表”获评创新成果一等奖，请各片区推广使用。
""",
    "2026-07": """\
**7月份**通报一起违规问题：农村片区一名客户经理存在**违规套购**行为，本月考核实行**一票否决**，总分记 0 分，不参加本月评星。
- 全体客户经理已参加纪律作风教育，请引以为戒；
- 三级技能鉴定培训已完成，请参训人员做好鉴定准备。
""",
    "2026-09": """\
**9月份**为中秋国庆旺季，销量任务上浮，全县完成 **{sales}%**，{best_team}完成情况最好。
- 举办**2026年卷烟营销职业技能竞赛**，获奖人员按名次加分；
- 紧俏货源分批投放，零售户囤货现象明显减少；
- 计划中的“数字化营销工具应用培训”未能举办。
""",
    "2026-10": """\
**10月份**旺季过后市场回归平稳，全县卷烟销量完成 **{sales}%**。
- 请各位客户经理做好年度**评先评优**材料准备，年度排名以全年平均分为准；
- 个别客户经理预测上报延迟、拜访记录补录，已按规定扣分。
""",
}


def note_text(month, rows):
    def pct(key, ids):
        a = sum(rows[m][key][0] for m in ids)
        t = sum(rows[m][key][1] for m in ids)
        return a / t * 100
    teams = {}
    for mid in rows:
        teams.setdefault(M[mid][2], []).append(mid)
    best = max(TEAMS, key=lambda t: pct("sales", teams[t[0]]) if t[0] in teams else -1)
    return NOTES[month].format(sales="%.1f" % pct("sales", rows), brand="%.1f" % pct("brand", rows),
                               best_team=best[1])


def results_yaml(month, rows):
    out = [HEADER, "month: %s\n" % month]
    if month in NOTES:
        out.append("note: |\n")
        for line in note_text(month, rows).splitlines():
            out.append(("  " + line).rstrip() + "\n")
    out.append("results:\n")
    for mid, e in rows.items():
        out.append("  %s:\n" % mid)
        for iid, method, _, _ in INDICATORS:
            if method == "training":
                continue
            v = e[iid]
            if method == "ratio":
                out.append("    %s: %s\n" % (iid, flow([("actual", num(v[0])), ("target", num(v[1]))])))
            elif method == "deduct":
                out.append("    %s: %s\n" % (iid, num(v)))
            else:
                out.append("    %s: %s\n" % (iid, dec1(v)))
        for key in ("bonus", "deductions"):
            if key in e:
                items = ", ".join(flow([("points", num(p)), ("reason", q(r))]) for p, r in e[key])
                out.append("    %s: [%s]\n" % (key, items))
        if "veto" in e:
            out.append("    veto: %s\n" % q(e["veto"]))
    return "".join(out)


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------

PAGE_ABOUT = """\
---
title: 关于本站
order: 1
---

# 关于本站

本站由**城关县烟草专卖局营销部**编制，每月公布全县客户经理的绩效考核结果，
包括月度排名、评星结果、后进名单、片区排名、培训情况和年度评先评优情况。

## 数据维护说明

网站的全部内容都来自 `content/` 文件夹中的数据文件，由营销部内勤人员维护：

| 文件 | 内容 | 维护时间 |
|---|---|---|
| `site.yaml` | 考核指标、权重、评星规则 | 考核办法调整时 |
| `managers.yaml` | 片区和客户经理名册 | 人员变动时 |
| `results/年-月.yaml` | 每月考核结果 | 每月 5 日前 |
| `trainings/` | 每次培训的签到和成绩 | 培训结束后 3 日内 |
| `training-plan.yaml` | 年度培训计划 | 年初及调整时 |
| `competitions/` | 技能竞赛获奖名单 | 竞赛结束后 |
| `innovations.yaml` | 创新成果 | 评审结束后 |
| `suggestions.yaml` | 货源需求建议和投放意见 | 每月 |

维护时请注意：

1. 客户经理、片区、指标都用**英文编号（id）**引用，只能用小写字母、数字、`-` 和 `_`；
2. 月份写成 `2026-03`，日期写成 `2026-03-09`；
3. 人员离岗后**不要删除**，在名册中填写离岗日期（`left`），历史通报才能正常显示；
4. 修改后先运行 `rankpress check` 检查，没有报错再运行 `rankpress build` 生成网站。

如对考核结果有异议，请在通报发布后 5 个工作日内向营销部反映。
"""

PAGE_KAOHE = """\
---
title: 考核工作说明
order: 2
---

# 客户经理绩效考核工作说明

根据《城关县烟草专卖局客户经理绩效考核办法》，客户经理按月考核、按年评优。
考核围绕客户经理的三项基本职能——**需求预测、品牌培育、服务客户**——展开，
同时考核营销业绩和学习培训情况。

## 考核内容

- **营销业绩**：卷烟销量完成率、条均价完成率，完成率分别设有上限和下限；
- **需求预测**：需求预测准确率，以 95% 为标准，高于标准加分、低于标准扣分；
- **品牌培育**：重点品牌培育完成率、新品铺货率；
- **服务客户**：拜访到位率、客户满意度，有效投诉每件扣 2 分，每月最多扣 6 分；
- **学习培训**：按当月参加培训的考试成绩折算，无故缺勤按 0 分计，请假不计。

## 加分与扣分

1. 技能竞赛获奖、创新成果获奖，按获奖等次加分；
2. 货源需求建议、紧俏货源投放意见被采纳的，每条加 0.5 分；
3. 协助专卖市场检查、信息宣传等工作，经营销部认定后加分；
4. 预测上报延迟、台账不全等，经营销部认定后扣分。

## 一票否决

有违规套购、违规调整零售户档位、泄露客户信息等行为的，当月考核**一票否决**，
总分记 0 分，不参加当月评星，并取消当年评先评优资格。

## 结果运用

- 月度评选**综合之星**、**营销业绩之星**、**品牌培育之星**、**需求预测之星**；
- 每月总分最低的 3 人列入**后进名单**，由片区负责人约谈帮扶；
- 年度平均分前 3 名且全年参加排名不少于 6 个月的，推荐为年度先进个人。
"""


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    args = ap.parse_args()
    content = os.path.join(os.path.abspath(args.root), "content")

    rng = random.Random(SEED)
    ability = {row[0]: row[7] for row in MANAGERS}
    sessions = gen_trainings(random.Random(SEED + 1), ability)
    months = gen_results(rng)
    tie = make_tie(months, sessions)

    # Start from a clean slate for the generated folders.
    for sub in ("results", "trainings", "competitions", "pages"):
        shutil.rmtree(os.path.join(content, sub), ignore_errors=True)

    write(content, "site.yaml", SITE_YAML)
    write(content, "managers.yaml", managers_yaml())
    for month in MONTHS:
        write(content, "results/%s.yaml" % month, results_yaml(month, months[month]))
    for s in sessions:
        write(content, "trainings/%s/%s.yaml" % (s["date"][:4], s["id"]), session_yaml(s))
    write(content, "training-plan.yaml", plan_yaml())
    for c in COMPETITIONS:
        write(content, "competitions/%s.yaml" % c[0], competition_yaml(c))
    write(content, "innovations.yaml", innovations_yaml())
    write(content, "suggestions.yaml", suggestions_yaml())
    write(content, "pages/about.md", PAGE_ABOUT)
    write(content, "pages/kaohe-shuoming.md", PAGE_KAOHE)
    print("wrote %s (tie in %s: %s = %s)" % (content, TIE_MONTH, tie[0], tie[1]))


if __name__ == "__main__":
    main()
