"""Sign-in by user name and password, without Django's model permissions.

Exemplar's permissions are django-rules predicates over role grants; the
auth_permission tables are never used. With Django's ModelBackend as it is,
every permission check that the rules backend answers "no" falls through to
it and costs two queries (user and group permissions) per request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
