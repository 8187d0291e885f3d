"""Prepare the test identity provider's database: a signing key, the platform as a client, and its directory.

    IDP_DB=… IDP_URL=… DJANGO_SETTINGS_MODULE=tests.sso_idp.settings python -m tests.sso_idp.setup CLIENT_ID SECRET \
        REDIRECT_URI USERNAME:PASSWORD:NAME:MOBILE …"""

import sys

import django


def main(client_id: str, secret: str, redirect_uri: str, *people: str) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    client = Client.objects.create(
        name="168", client_id=client_id, client_secret=secret, client_type="confidential", jwt_alg="RS256",
        require_consent=False, _redirect_uris=redirect_uri,
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for spec in people:
        username, password, name, mobile = spec.split(":")
        get_user_model().objects.create_user(username=username, password=password, first_name=name, last_name=mobile)


if __name__ == "__main__":
    main(*sys.argv[1:])
