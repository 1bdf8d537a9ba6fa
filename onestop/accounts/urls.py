from django.urls import path

from onestop.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout-everywhere"),
    path("2fa/", views.otp, name="otp"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password-reset-complete"),
]
