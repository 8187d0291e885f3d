"""Navigation assembled from every app: an AppConfig may offer `nav_items(request)`; the lower apps know nothing
of the higher ones."""


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}

    from machinery.pages import app_offers

    return {"nav_items": lambda: app_offers("nav_items", request)}
