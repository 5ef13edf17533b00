from django.urls import path

from policeplan.core.views import auth, pages

app_name = "core"

urlpatterns = [
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("signed-out/", auth.signed_out, name="signed-out"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("cookies/", pages.cookies, name="cookies"),
    path("contact/", pages.contact, name="contact"),
    path("staff/audit/", pages.audit, name="audit"),
]
