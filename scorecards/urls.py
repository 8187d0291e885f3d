from django.urls import path

from .views import files, pages, scheme

app_name = "scorecards"

urlpatterns = [
    path("", pages.index, name="index"),
    path("org/<int:org_pk>/", pages.table, name="table"),
    path("org/<int:org_pk>/card/", pages.card, name="card"),
    path("org/<int:org_pk>/table.xlsx", files.table_xlsx, name="table_xlsx"),
    path("org/<int:org_pk>/card.pdf", files.card_pdf, name="card_pdf"),
    path("org/<int:org_pk>/scheme/", scheme.scheme, name="scheme"),
]
