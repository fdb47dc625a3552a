"""The watchlist's URLs and the readers' sign-in, in the `watch:` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "watch"
urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            # A reader has no admin to land in (settings.LOGIN_REDIRECT_URL is the editors').
            next_page="watch:watchlist",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path(
        "accounts/logout/", auth_views.LogoutView.as_view(next_page="deals:overview"), name="logout"
    ),
    path("watch/", views.watchlist, name="watchlist"),
    path("watch/follow/", views.follow, name="follow"),
    path("watch/unfollow/", views.unfollow, name="unfollow"),
    path("watch/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
