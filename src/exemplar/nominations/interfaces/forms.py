"""Forms of the nominating work: the dossier, attachments, return and withdrawal reasons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from exemplar.nominations.domain.nominations import ALLOWED_TAGS
from exemplar.people.models import OrgUnit, Person, Team
from exemplar.programmes.models import Category, Programme

ACCEPTED_UPLOADS = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.doc,.xls,.ppt"
TAG_ORDER = ["p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4"]


def _tags_help() -> str:
    tags = [t for t in TAG_ORDER if t in ALLOWED_TAGS] + sorted(set(ALLOWED_TAGS) - set(TAG_ORDER))
    # field.html shows help text as HTML: the tag names must be escaped to be seen.
    return ", ".join(escape(f"<{t}>") for t in tags)


def subtree_people(unit: OrgUnit) -> QuerySet[Person]:
    return Person.objects.filter(unit__path__startswith=unit.path)


def subtree_teams(unit: OrgUnit) -> QuerySet[Team]:
    return Team.objects.filter(unit__path__startswith=unit.path)


class DossierFields(forms.Form):
    """Headline, deeds and achievements: what the coordinator writes and may edit until it goes up."""

    title = forms.CharField(
        label=_("Headline"), max_length=200, help_text=_("One line that sums up the deeds."), strip=True
    )
    deeds = forms.CharField(
        label=_("Deeds"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50_000,
        help_text=format_lazy(
            _("The story of what the nominee did. Allowed formatting: {tags}. Anything else is removed when saved."),
            tags=_tags_help(),
        ),
    )
    achievements = forms.CharField(
        label=_("Achievements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("One achievement per line."),
    )


class NominationCreateForm(DossierFields):
    """A new nomination by ``unit`` in ``programme``: the category, then a person or a team of the unit's subtree."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), empty_label=None)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("For a category that honours individuals: search by name or staff number, then choose."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("For a category that honours teams."),
    )

    field_order = ["category", "person", "team", "title", "deeds", "achievements"]

    def __init__(self, *args: Any, programme: Programme, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme, self.unit = programme, unit
        self.fields["category"].queryset = programme.categories.order_by("order", "pk")
        self.fields["person"].queryset = subtree_people(unit).select_related("unit")
        self.fields["team"].queryset = subtree_teams(unit).order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        category: Category | None = data.get("category")
        if category is None:
            return data
        if category.is_collective:
            data["person"] = None
            if data.get("team") is None:
                self.add_error("team", _("This category honours teams: choose a team."))
        else:
            data["team"] = None
            if data.get("person") is None:
                self.add_error("person", _("This category honours individuals: choose a person."))
        return data


class NominationEditForm(DossierFields):
    """Editing a draft or returned dossier (the category and nominee stay as created)."""


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add an attachment"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_UPLOADS}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            _(
                "PDF, images (PNG, JPEG, GIF, WebP) or Word, Excel and PowerPoint documents, up to {size} each "
                "and {count} per dossier. The content is checked, not the name; photos lose their EXIF data "
                "(location, camera)."
            ),
            size=filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            count=settings.ATTACHMENT_MAX_COUNT,
        )


class ReasonForm(forms.Form):
    """The reason a nomination is returned or withdrawn: the nominating unit reads it."""

    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
