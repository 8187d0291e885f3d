"""What the test identity provider tells about a person: the 工号 (login name) and the mobile number."""


def userinfo(claims, user):
    claims["preferred_username"] = user.username
    claims["name"] = user.first_name
    claims["phone_number"] = user.last_name
    return claims


def cas_attributes(user, service):
    return {"mobile": user.last_name, "displayName": user.first_name}
