"""使用说明: one page per kind of user, saying what to do through the year, with links into the app and screenshots
made by the browser tests (tests/browser/test_guide_screenshots.py writes static/guide/*.png). The words of each
guide are here; guide.views resolves their links for the reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from organizations.enums import Role


@dataclass(frozen=True)
class Step:
    text: str
    url_name: str = ""
    needs: str = ""  # "" (no argument) or "org" (the reader's own organization)


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    who: str
    roles: tuple[str, ...]
    phases: tuple[tuple[str, tuple[Step, ...]], ...]
    screenshots: tuple[tuple[str, str], ...] = ()


START, MIDDLE, END, EVERYDAY = _("年初布置"), _("年中巡查"), _("年终讲评"), _("日常工作")

GUIDES: tuple[Guide, ...] = (
    Guide(
        "city",
        _("市委教育工委"),
        _("市委教育工委工作人员：看全市，定典型，收季报，作讲评。"),
        (Role.CITY_STAFF,),
        (
            (START, (
                Step(_("在“组织”中核对全市组织架构：各县（市、区）委教育工委、市属高校党委（总支）、市教育局机关党委及其下属学校党组织。"), "organizations:tree"),
                Step(_("确定并维护“168”机制典型示范单位（综合典型、单项典型），登记宣传报道。"), "organizations:demonstrations", "org"),
                Step(_("检查各单位领导班子成员联系点：“尚无联系点的班子成员”一页列出还需落实的人。"), "organizations:contacts_missing", "org"),
            )),
            (MIDDLE, (
                Step(_("在“推广面”查看各单位已推行“168”机制的基层党组织比例，对照12月底100%的要求督促未推行单位。"), "organizations:coverage", "org"),
                Step(_("每季度第三个月20日前收取各市属高校党委（总支）、市教育局机关党委的季报表（附件5），逐份“接收”或“退回”并写明理由。"), "reports:quarterly_list"),
                Step(_("在“看板”按年度、季度、范围查看推广面、季报报送、目标进度、评岗等次分布。"), "reports:dashboard"),
                Step(_("发布情况通报：按考评期起草（考评结果、逾期未完成考评的单位、巡查发现的问题取自记录），修改后发布给所辖党员，查看阅读回执。"), "bulletins:circulars", "org"),
            )),
            (END, (
                Step(_("下载全市季报表汇总（Excel 与 PDF），作为年终讲评表彰的依据。"), "reports:quarterly_list"),
                Step(_("审批市级荣誉的评选表彰（党员示范（先锋）岗、优秀共产党员）。"), "evaluations:awards", "org"),
                Step(_("审核典型示范单位报送的好做法、好经验，编入简报（可同时在公开页发布），不通过的写明理由退回。"), "bulletins:briefs", "org"),
            )),
        ),
        (("city-dashboard.png", _("看板：推广面、季报报送情况、评岗等次分布")),),
    ),
    Guide(
        "unit",
        _("报送单位（县级工委、市属高校党委、机关党委）"),
        _("县（市、区）委教育工委、市属高校党委（总支）、市教育局机关党委工作人员：管好本系统，按季报送。"),
        (Role.COUNTY_STAFF, Role.UNIT_STAFF),
        (
            (START, (
                Step(_("核对本系统组织和推行“168”机制的日期，未推行的组织要在年底前推行。"), "organizations:coverage", "org"),
                Step(_("领导班子成员每人确定1个以上联系点，登记指导情况。"), "organizations:contacts", "org"),
                Step(_("确定本级典型示范单位并培育。"), "organizations:demonstrations", "org"),
            )),
            (MIDDLE, (
                Step(_("每季度打开本季季报表：可统计的数字由系统按当时数据自动填入，可随时刷新；手写“主要做法和成效、存在问题、下一步打算”，在第三个月20日前提交。"), "reports:quarterly_list"),
                Step(_("被退回的季报表按理由修改后重新提交；提醒会在截止前7天、3天、1天和逾期次日发送到“通知”。"), "notifications:inbox"),
                Step(_("在“看板”查看本系统各单位目标进度和评岗情况。"), "reports:dashboard"),
                Step(_("向本系统发布情况通报（考评结果、逾期单位、巡查发现的问题），查看各单位党员的阅读回执。"), "bulletins:circulars", "org"),
            )),
            (END, (
                Step(_("审核所属学校党组织推荐的评选表彰对象。"), "evaluations:awards", "org"),
                Step(_("审核本级典型示范单位报送的好做法、好经验，编入简报。"), "bulletins:briefs", "org"),
            )),
        ),
        (("unit-quarterly.png", _("季报表：自动统计的数字与手写的情况说明")),),
    ),
    Guide(
        "school",
        _("学校党组织书记"),
        _("学校党委（总支、支部）书记：第一责任人，组织“六步工作法”。"),
        (Role.SECRETARY,),
        (
            (START, (
                Step(_("在“长远目标”确认争创目标：系统按已获荣誉建议上一级（先进基层党组织；文明学校、示范性学校、绿色学校、平安校园），可调整并设定3—5年的期限。"), "targets:longterm", "org"),
                Step(_("建立本年度计划：争创主题、一项特色工作、一次理论调研、学校发展目标。"), "targets:org_plans", "org"),
                Step(_("按六步工作法推进：征求意见（座谈会、上门访谈、问卷）→ 梳理归类、采纳与答复 → 议事决策 → 任务分解（附件1，按八个方面落实责任）→ 公开承诺 → 组织实施 → 考评奖惩。流程图显示每一步的状态，上一步未完成不能完成下一步。"), "targets:index"),
                Step(_("按需设岗（因事设岗、因需设岗），指导党员、教师认领岗位并作出承诺。"), "posts:org_posts", "org"),
                Step(_("核对本单位的责任制：书记第一责任人、校长一岗双责、支部书记直接责任人、处室负责人具体责任人，由角色和附件1的责任人自动列出，显示在年度计划页和附件1。"), "targets:org_plans", "org"),
            )),
            (MIDDLE, (
                Step(_("登记每个目标任务的进度和佐证材料，开展“联帮带”活动。"), "targets:index"),
                Step(_("组织一季一评、半年初评：党员述岗自评、教职工民意测评（一次性投票码）、党组织综合评定。"), "evaluations:org_periods", "org"),
                Step(_("开展领导点评、党员互评、群众评议，记录对党组织履诺践诺的评议。"), "targets:index"),
                Step(_("本单位是典型示范单位的，报送好做法、好经验，审核通过后编入简报。"), "bulletins:briefs", "org"),
            )),
            (END, (
                Step(_("年终总评：四次考评并列，作为民主评议党员的依据；推荐党员示范（先锋）岗、优秀共产党员，提出后备干部人选；履职较差的党员限期整改。"), "evaluations:org_periods", "org"),
                Step(_("导出附件1《年度工作目标分解表》和附件2《年度党员亮岗履职一览表》（Excel、PDF）。"), "reports:annexes", "org"),
            )),
        ),
        (
            ("school-plan.png", _("年度计划：附件3 工作流程图显示六步的进度")),
            ("school-grid-phone.png", _("目标分解表（手机）：每行一张卡片，排序、添加、删除后一次保存")),
        ),
    ),
    Guide(
        "branch",
        _("支部书记"),
        _("党支部书记：直接责任人，管好本支部党员的亮岗履职和考评。"),
        (Role.BRANCH_SECRETARY,),
        (
            (START, (
                Step(_("核对支部名册；可下载模板填好后一次导入，有错的行会逐行指出，改好再导入，不会写入半份数据。"), "organizations:roster_import", "org"),
                Step(_("设置岗位，安排或审核党员认领岗位。"), "posts:org_posts", "org"),
                Step(_("审核党员的履岗承诺：先进性、主动性、可行性；不合格的写明理由退回修改，通过的向党员、群众或社会公开。“批量审核”可勾选多项一次通过或逐项写明理由退回。"), "posts:org_posts", "org"),
            )),
            (MIDDLE, (
                Step(_("督促党员登记履岗情况、提交述职报告；发布情况通报并查看已读情况。"), "posts:notices", "org"),
                Step(_("开启本季考评，生成民意测评投票码（可打印二维码），完成党组织综合评定后结束考评，结果自动按权重计算并公布。"), "evaluations:org_periods", "org"),
            )),
            (END, (
                Step(_("查看本支部附件2一览表：每名党员的岗位、承诺和四次考评结果。"), "posts:annex2", "org"),
                Step(_("对评为较差的党员：记录其在党员大会上的解释和说明，责令限期整改并跟踪。"), "evaluations:rectifications", "org"),
            )),
        ),
        (
            ("branch-posts.png", _("本支部的岗位与承诺")),
            ("branch-appraisal-phone.png", _("民主评议党员（手机）：未评的全部设为合格，核对后一次保存")),
        ),
    ),
    Guide(
        "member",
        _("党员、教师"),
        _("党员、教师和各类组织骨干：认岗、承诺、履岗、自评。"),
        (Role.MEMBER,),
        (
            (START, (
                Step(_("在“我的岗位”认领岗位，针对每个岗位写出具体承诺：方面（学习、工作、自律、服务）、做什么、可衡量的结果、完成时间，提交党组织审核。"), "posts:mine"),
                Step(_("被退回的承诺按理由修改后重新提交；通过后可打印《公开承诺书》。"), "posts:mine"),
            )),
            (MIDDLE, (
                Step(_("随时登记履岗情况（日期、做了什么、佐证材料），在每个考评期写述职报告。"), "posts:mine"),
                Step(_("考评期内对照每项承诺进行述岗自评。"), "evaluations:my_results"),
            )),
            (END, (
                Step(_("考评结束后在“我的考评”查看各期等次及其组成。"), "evaluations:my_results"),
            )),
        ),
        (("member-mine.png", _("我的岗位（手机）")),),
    ),
)
BY_SLUG = {g.slug: g for g in GUIDES}
