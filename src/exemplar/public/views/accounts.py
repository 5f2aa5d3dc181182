from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login; django-axes counts failures and locks the account out."""

    redirect_authenticated_user = True
