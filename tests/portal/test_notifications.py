"""In-app notifications: the list, marking read, the unread count in the header."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exemplar.core.domain.notifications import notify
from exemplar.core.models import Notification

pytestmark = pytest.mark.integration


def _notes(user, n: int) -> list[Notification]:
    start = timezone.now() - timedelta(hours=n)
    for i in range(n):
        notify([user], f"Message {i}", url=reverse("portal:home"), at=start + timedelta(hours=i))
    return list(Notification.objects.filter(user=user))


def test_newest_first_with_the_unread_count_in_the_header(client, employee_user):
    notes = _notes(employee_user, 3)
    client.force_login(employee_user)
    response = client.get(reverse("portal:notifications"))
    assert [n.message for n in response.context["page_obj"]] == ["Message 2", "Message 1", "Message 0"]
    assert list(response.context["page_obj"]) == notes
    html = response.content.decode()
    assert "Notifications (3)" in html
    assert '<span class="badge">3<span class="visually-hidden"> unread notifications</span></span>' in html


def test_mark_read_and_open(client, employee_user):
    older, newer = reversed(_notes(employee_user, 2))
    client.force_login(employee_user)
    response = client.post(reverse("portal:notification_read", args=[newer.pk]))
    assert response.url == reverse("portal:notifications")
    response = client.post(reverse("portal:notification_read", args=[older.pk]), {"open": "1"})
    assert response.url == reverse("portal:home")
    assert list(Notification.objects.filter(read_at__isnull=True)) == []
    assert "Notifications (0)" in client.get(reverse("portal:notifications")).content.decode()


def test_read_all_touches_only_my_own(client, employee_user, coordinator_a):
    _notes(employee_user, 2)
    theirs = _notes(coordinator_a, 1)[0]
    client.force_login(employee_user)
    client.post(reverse("portal:notifications_read_all"))
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]
    # Someone else's notification is not found, and stays unread.
    assert client.post(reverse("portal:notification_read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_an_outside_link_is_never_followed(client, employee_user):
    notify([employee_user], "Phish", url="https://evil.example/steal")
    client.force_login(employee_user)
    note = Notification.objects.get()
    response = client.post(reverse("portal:notification_read", args=[note.pk]), {"open": "1"})
    assert response.url == reverse("portal:notifications")


def test_anonymous_pages_count_nothing(client, db, django_assert_num_queries):
    client.get(reverse("login"))
    with django_assert_num_queries(0):
        response = client.get(reverse("login"))
    assert "unread_notifications" not in response.context


@pytest.mark.parametrize("item_count", [1, 3])
def test_list_query_count(client, employee_user, django_assert_num_queries, item_count):
    _notes(employee_user, item_count)
    client.force_login(employee_user)
    client.get(reverse("portal:notifications"))
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:notifications"))
    assert len(response.context["page_obj"]) == item_count
