"""Reading pages the way a person does, through Django's test client: messages, labels, parts of a page.

``Visitor`` is one person at their own browser (signed in through the form,
with their language cookie); ``Page`` gives the text of the parts of a page
selected by a small ``tag#id.class`` selector, so journeys assert what
people read rather than status codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook

from exemplar.people.models import OrgUnit, Person, Team, User

PASSWORD = "correct-horse-battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Select(HTMLParser):
    """Text of the elements matching a ``tag.class`` selector, optionally inside another (``ul.blockers li``)."""

    def __init__(self, selector: str) -> None:
        super().__init__()
        self.parts = [self._part(p) for p in selector.split()]
        self.stack: list[tuple[str, dict[str, str | None], int | None]] = []  # tag, attributes, capture opened
        self.found: list[list[str]] = []
        self.attrs: list[dict[str, str | None]] = []
        self.active: list[int] = []

    @staticmethod
    def _part(text: str) -> tuple[str, str, str]:
        match = re.fullmatch(r"([a-z0-9]*)(?:#([\w-]+))?(?:\.([\w-]+))?", text)
        assert match is not None, text
        tag, id_, cls = match.groups()
        return tag, id_ or "", cls or ""

    @staticmethod
    def _matches(part: tuple[str, str, str], tag: str, attrs: dict[str, str | None]) -> bool:
        want_tag, want_id, want_cls = part
        classes = (attrs.get("class") or "").split()
        return (
            (not want_tag or want_tag == tag)
            and (not want_id or want_id == attrs.get("id"))
            and (not want_cls or want_cls in classes)
        )

    def _inside(self) -> bool:
        outer = self.parts[:-1]
        for tag, attrs, _index in self.stack:
            if outer and self._matches(outer[0], tag, attrs):
                outer = outer[1:]
        return not outer

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        index = None
        if self._matches(self.parts[-1], tag, attributes) and self._inside():
            self.found.append([])
            self.attrs.append(attributes)
            index = len(self.found) - 1
        if tag in VOID:  # no content and no end tag
            return
        if index is not None:
            self.active.append(index)
        self.stack.append((tag, attributes, index))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        _tag, _attrs, index = self.stack.pop()
        if index is not None:
            self.active.remove(index)

    def handle_data(self, data: str) -> None:
        for index in self.active:
            self.found[index].append(data)


@dataclass
class Page:
    """A page as a person sees it: where it is, its messages, the text of its parts."""

    response: Any

    @property
    def path(self) -> str:
        return str(self.response.request["PATH_INFO"])

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(resolve(self.path).kwargs)

    @property
    def html(self) -> str:
        return str(self.response.content.decode())

    def texts(self, selector: str) -> list[str]:
        parser = _Select(selector)
        parser.feed(self.html)
        return [" ".join("".join(parts).split()) for parts in parser.found]

    def attrs(self, selector: str, name: str) -> list[str]:
        parser = _Select(selector)
        parser.feed(self.html)
        return [str(a.get(name) or "") for a in parser.attrs]

    @property
    def text(self) -> str:
        return " ".join(self.texts("main"))

    @property
    def messages(self) -> list[str]:
        return self.texts("li.message")

    @property
    def statuses(self) -> list[str]:
        return self.texts("span.status")


class Visitor:
    """One person at their own browser: signs in through the form, keeps their language cookie."""

    def __init__(self, username: str, language: str) -> None:
        self.language = language
        self.client = Client()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = self.post_url(reverse("login"), {"username": username, "password": PASSWORD})
        assert (page.path != reverse("login"), self.client.session.get("_auth_user_id")) == (
            True,
            str(User.objects.get(username=username).pk),
        )

    def _page(self, response: Any, status: int) -> Page:
        assert response.status_code == status, response.content.decode()[:2000]
        return Page(response)

    def get(self, name: str, *args: Any, query: dict[str, Any] | None = None, status: int = 200) -> Page:
        return self._page(self.client.get(reverse(f"backoffice:{name}", args=args), query or {}, follow=True), status)

    def portal(self, name: str, *args: Any, status: int = 200) -> Page:
        return self._page(self.client.get(reverse(f"portal:{name}", args=args), follow=True), status)

    def post(self, name: str, *args: Any, data: dict[str, Any] | None = None, status: int = 200) -> Page:
        return self.post_url(reverse(f"backoffice:{name}", args=args), data or {}, status=status)

    def post_url(self, url: str, data: dict[str, Any], *, status: int = 200) -> Page:
        return self._page(self.client.post(url, data, follow=True), status)

    def download(self, name: str, *args: Any) -> list[tuple[Any, ...]]:
        response = self.client.get(reverse(f"backoffice:{name}", args=args))
        assert response["Content-Type"] == XLSX
        sheet = load_workbook(BytesIO(response.content), read_only=True).active
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]

    def t(self, text: str, **values: Any) -> str:
        """``text`` as this visitor reads it."""
        with translation.override(self.language):
            return gettext(text) % values if values else gettext(text)

    def nt(self, singular: str, plural: str, number: int, **values: Any) -> str:
        with translation.override(self.language):
            return ngettext(singular, plural, number) % values

    def name(self, obj: OrgUnit | Person | Team) -> str:
        with translation.override(self.language):
            return obj.display_name

    def label(self, choice: Any) -> str:
        with translation.override(self.language):
            return str(choice.label)
