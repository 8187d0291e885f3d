import re

import pytest
from django.core import mail
from openpyxl import load_workbook

from organizations import roster
from organizations.models import Member, Organization
from tests.browser.conftest import go, open_signed_in, sign_in
from tests.world import PASSWORD, make_member

pytestmark = pytest.mark.browser

FIRST = "Hongqi-2026-first"
SECOND = "Hongqi-2026-second"


def _issue_login_and_read_the_sheet(page, name: str) -> tuple[str, str]:
    """On the logins page of a branch: tick `name`, issue, and read the login name and code off the printable sheet."""
    page.get_by_label(f"选择 {name}").check()
    page.get_by_role("button", name="为勾选的成员发放激活码").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=re.compile("登录账号激活单")).is_visible()
    slip = page.locator("[data-slip]")
    assert slip.count() == 1 and slip.locator("img").get_attribute("src").startswith("data:image/svg+xml")
    return slip.locator("[data-username]").inner_text(), slip.locator("[data-code]").inner_text()


def _activate_on_a_phone(chromium, base_url: str, username: str, code: str, email: str):
    """The member, on a phone: the QR code opens the activation page with the login name filled in."""
    phone = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    member = phone.new_page()
    member.set_default_timeout(15_000)
    member.base_url = base_url
    go(member, f"/accounts/activate/?u={username}")
    assert member.get_by_label("登录名").input_value() == username
    member.get_by_label("激活码").fill(code)
    member.get_by_label("设置密码").fill(FIRST)
    member.get_by_label("再次输入密码").fill(FIRST)
    member.get_by_label(re.compile("电子邮箱")).fill(email)
    member.get_by_role("button", name="激活并设置密码").click()
    member.wait_for_load_state("networkidle")
    assert member.get_by_text("账号已激活").is_visible()
    sign_in(member, username, FIRST)
    assert "/accounts/login/" not in member.url
    return phone, member


def _reset_by_email(member, username: str, email: str) -> None:
    """Later: the password is forgotten and set anew through the emailed link."""
    member.context.clear_cookies()
    go(member, "/accounts/login/")
    member.get_by_role("link", name="忘记密码").click()
    member.get_by_label("电子邮件").fill(email)
    member.get_by_role("button", name="发送重设链接").click()
    member.wait_for_load_state("networkidle")
    assert member.get_by_text("请查收邮件").is_visible()
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    member.goto(link)
    member.wait_for_load_state("networkidle")
    assert member.get_by_role("heading", name="设置新密码").is_visible(), member.content()[-3000:]
    member.locator("input[name=new_password1]").fill(SECOND)
    member.locator("input[name=new_password2]").fill(SECOND)
    member.get_by_role("button", name="保存新密码").click()
    member.wait_for_load_state("networkidle")
    assert member.get_by_text("密码已重设").first.is_visible()
    sign_in(member, username, SECOND)
    assert "/accounts/login/" not in member.url


def test_secretary_issues_logins_and_a_member_activates_then_resets_by_email(chromium, live_server, browser_world):
    w = browser_world
    make_member(w.branch_b, "乙新党员", phone="13900000061", staff_no="B061")
    context, page = open_signed_in(chromium, live_server.url, "branch_b_secretary", PASSWORD)
    go(page, f"/org/{w.branch_b.pk}/members/")
    page.get_by_role("link", name="登录账号").click()
    page.wait_for_load_state("networkidle")
    username, code = _issue_login_and_read_the_sheet(page, "乙新党员")
    assert username == "b061" and "13900000061" not in page.content()
    context.close()

    phone, member = _activate_on_a_phone(chromium, live_server.url, username, code, "xin61@example.edu.cn")
    _reset_by_email(member, username, "xin61@example.edu.cn")
    phone.close()


def _add_unit(page, parent_pk: int, name: str, kind: str, school: str) -> Organization:
    go(page, f"/org/{parent_pk}/")
    page.get_by_role("link", name="设立下级组织").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("input[name=name]").fill(name)
    page.locator("select[name=kind]").select_option(label=kind)
    page.locator("input[name=school_name]").fill(school)
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(f"已设立“{name}”").is_visible()
    return Organization.objects.get(name=name)


def test_the_whole_path_from_a_new_school_to_a_transfer_with_history(chromium, live_server, browser_world, tmp_path):
    """County staff add a school and a branch and appoint its secretary; the secretary imports a roster, issues
    logins and prints the sheet; a member activates with the code, later resets the password by email; the member is
    transferred to another branch with history kept."""
    w = browser_world
    staff_ctx, staff = open_signed_in(chromium, live_server.url, "county_b_staff", PASSWORD)
    school = _add_unit(staff, w.county_b.pk, "乙县新港中学党委", "学校党委", "乙县新港中学")
    branch = _add_unit(staff, school.pk, "新港中学第一支部", "党支部", "乙县新港中学")
    go(staff, f"/org/{branch.pk}/")
    staff.get_by_role("link", name="书记与工作人员").first.click()
    staff.get_by_label("登录名").fill("member_b")
    staff.get_by_label("角色").select_option(label="支部书记")
    staff.get_by_label("职务").fill("支部书记")
    staff.get_by_role("button", name="任命").click()
    staff.wait_for_load_state("networkidle")
    assert staff.locator(".list-group-item", has_text="乙成员").filter(has_text="支部书记").is_visible()

    # the new secretary imports the branch's roster (the demo file, its first new teacher renamed)
    sec_ctx, sec = open_signed_in(chromium, live_server.url, "member_b", PASSWORD)
    go(sec, f"/org/{branch.pk}/members/")
    sec.get_by_role("link", name="导入名册").click()
    with sec.expect_download() as dl:
        sec.get_by_role("link", name="下载本支部名册（含示例新成员）").click()
    path = tmp_path / "roster.xlsx"
    dl.value.save_as(path)
    wb = load_workbook(path)
    col = {h: i + 1 for i, h in enumerate(roster.HEADERS)}
    wb.active.cell(row=2, column=col["姓名"], value="林晓红")
    staff_no = wb.active.cell(row=2, column=col["工号"]).value
    wb.save(path)
    sec.set_input_files("input[name=file]", str(path))
    sec.get_by_role("button", name="上传并检查").click()
    assert "新增 5 人" in sec.get_by_test_id("import-preview").inner_text()
    sec.get_by_role("button", name="确认导入").click()
    sec.get_by_test_id("import-applied").wait_for()
    assert Member.objects.filter(organization=branch, is_active=True).count() == 5

    # logins for the new teachers, straight from the import; the sheet prints
    sec.get_by_test_id("issue-logins").click()
    sec.wait_for_load_state("networkidle")
    username, code = _issue_login_and_read_the_sheet(sec, "林晓红")
    assert username == staff_no.lower()
    sec.evaluate("window.print = () => { window.printed = true; }")
    sec.get_by_role("button", name="打印").click()
    assert sec.evaluate("window.printed === true")
    sec.emulate_media(media="print")
    assert not sec.get_by_role("button", name="打印").is_visible()  # the sheet alone goes on paper
    sec.pdf(path=str(tmp_path / "sheet.pdf"), format="A4")
    assert (tmp_path / "sheet.pdf").read_bytes()[:4] == b"%PDF"
    sec_ctx.close()

    phone, member = _activate_on_a_phone(chromium, live_server.url, username, code, "lin@example.edu.cn")
    _reset_by_email(member, username, "lin@example.edu.cn")

    # county staff move her to a branch of another school; her history stays with her
    teacher = Member.objects.get(organization=branch, name="林晓红")
    go(staff, f"/org/members/{teacher.pk}/")
    staff.get_by_role("link", name="组织关系转接").click()
    staff.wait_for_load_state("networkidle")
    staff.get_by_label("转入支部（市内）").fill("乙校第一")
    staff.get_by_label("乙校第一支部").check()
    staff.get_by_role("button", name="办理").click()
    staff.wait_for_load_state("networkidle")
    assert staff.get_by_text("已办理组织关系转接至 乙校第一支部").is_visible()
    teacher.refresh_from_db()
    assert teacher.organization == w.branch_b and teacher.user.is_active
    staff.get_by_role("link", name="修改记录").first.click()
    staff.wait_for_load_state("networkidle")
    history = staff.locator("main").inner_text()
    assert "组织关系转接：新港中学第一支部 → 乙校第一支部" in history and "林晓红" in history
    staff_ctx.close()

    # she still signs in with the password she set, and finds herself in the new branch
    member.context.clear_cookies()
    sign_in(member, username, SECOND)
    go(member, f"/org/members/{teacher.pk}/")
    assert member.get_by_text("乙校第一支部").first.is_visible()
    phone.close()
