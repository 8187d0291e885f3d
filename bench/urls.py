"""The product's URLs plus one bare view: login required, one query, a tiny response — the yardstick."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urls
from organizations.models import Organization


@login_required
def bare(request):
    name = Organization.objects.filter(depth=1).values_list("name", flat=True).first()
    return HttpResponse(f"ok {name}", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *product_urls]
