"""A small identity provider for the single sign-on tests, run in a process of its own on loopback: OpenID Connect
(django-oidc-provider) and CAS (django-mama-cas), with a directory of people whose 工号 is the login name and whose
mobile number is kept in last_name. tests/sso_provider.py starts it."""
