from django import template

from ..views.sso import providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[dict]:
    """{% sso_providers as providers %}: the deployment's single sign-on buttons for the login page."""
    return providers()
