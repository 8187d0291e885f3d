"""Navigation assembled from every app: an AppConfig may offer `nav_items(request)`; the lower apps know nothing
of the higher ones."""

from django.apps import apps


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}

    def build():
        items = []
        for config in apps.get_app_configs():
            offer = getattr(config, "nav_items", None)
            if offer is not None:
                items.extend(offer(request))
        return sorted(items, key=lambda item: item.get("order", 50))

    return {"nav_items": build}
