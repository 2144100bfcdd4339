from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("me/", views.account, name="account"),
    path("me/availability/", views.availability, name="availability"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/sign-in/", views.user_sign_in, name="user_sign_in"),
    path("users/<int:pk>/enrolment-code/", views.issue_enrolment_code, name="issue_enrolment_code"),
    path("users/<int:pk>/password-reset-link/", views.issue_password_reset_link, name="issue_password_reset_link"),
    path("users/<int:pk>/reset-second-factor/", views.reset_second_factor, name="reset_second_factor"),
]
