"""The profile page: each person picks how reminders reach them, among the channels this deployment offers."""

from django.urls import reverse

from notifications.models import ChannelPreference
from tests.channel_servers import TencentSmsFake, sms_settings


def test_a_member_prefers_sms_on_the_profile_page(world, login, settings):
    client = login(world.user("member_b"))
    with TencentSmsFake() as fake:
        sms_settings(settings, fake)
        page = client.get(reverse("accounts:profile")).content.decode()
        assert "短信" in page and "13900000002" in page  # one's own number, shown to oneself
        r = client.post(reverse("accounts:profile"), {"channel": "sms"})
    assert r.status_code == 302
    assert ChannelPreference.objects.get(user=world.user("member_b")).channel == "sms"


def test_a_channel_the_deployment_lacks_is_refused(world, login):
    client = login(world.user("member_b"))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="sms"' not in page
    r = client.post(reverse("accounts:profile"), {"channel": "sms"})
    assert r.status_code == 400 and not ChannelPreference.objects.exists()
