from .codes import code_check, logins_issue
from .logins import account_activate, login_deactivate, login_reactivate, password_reset_by_sms, sms_reset_request
from .sso import sso_login_for

__all__ = [
    "account_activate", "code_check", "login_deactivate", "login_reactivate", "logins_issue", "password_reset_by_sms",
    "sms_reset_request", "sso_login_for",
]  # fmt: skip
