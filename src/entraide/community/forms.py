"""Forms of the community: they parse and explain; the rules are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext_lazy

from entraide.community.models import CannedReply, FlagReason, Visibility
from entraide.core import dates
from entraide.core.content import uploads
from entraide.core.errors import InvalidValuesError


class ServiceErrorsMixin:
    def add_service_errors(self, exc: InvalidValuesError) -> None:
        form: Any = self
        for key, message in exc.errors.items():
            form.add_error(key if key in form.fields else None, str(message))


class PostFields(ServiceErrorsMixin, forms.Form):
    """What a topic's opening post and a reply share."""

    body = forms.CharField(
        label=pgettext_lazy("post form", "Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=pgettext_lazy(
            "post form",
            "Markdown: *italics*, **bold**, lists with “-”, a quote with “>”, links. Only your pseudonym is shown.",
        ),
    )
    content_warning = forms.CharField(
        label=pgettext_lazy("post form", "Content warning (optional)"),
        required=False,
        help_text=pgettext_lazy(
            "post form",
            "A few words such as “self-harm” or “grief”: readers then see your message folded, under this warning.",
        ),
    )
    anonymous = forms.BooleanField(
        label=pgettext_lazy("post form", "Post without my pseudonym (“anonymous member”)"),
        required=False,
    )
    image = forms.FileField(
        label=pgettext_lazy("post form", "An image (optional)"),
        required=False,
        help_text=pgettext_lazy(
            "post form",
            "JPEG, PNG or WebP, up to 10 MB. We remove its hidden details (place, camera) before keeping it.",
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_description = forms.CharField(
        label=pgettext_lazy("post form", "What the image shows (for people who cannot see it)"),
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, anonymous_allowed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.anonymous_allowed = anonymous_allowed
        if not anonymous_allowed:  # the space's choice: the box is not offered at all
            del self.fields["anonymous"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.anonymous_allowed and self.data.get("anonymous"):
            # A page loaded before the space stopped allowing it: never publish under the
            # pseudonym someone meant to hide.
            self.add_error(
                None,
                pgettext_lazy(
                    "post form",
                    "This space does not allow anonymous messages: untick the box to post under your "
                    "pseudonym, or choose a space that allows them. Your text is kept.",
                ),
            )
        return cleaned

    def clean_image(self) -> uploads.CleanImage | None:
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        try:
            return uploads.clean_image(upload)
        except uploads.UploadRefusedError as refused:
            raise ValidationError(str(refused)) from None

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "body": d["body"],
            "content_warning": d["content_warning"],
            "anonymous": d.get("anonymous", False),
            "image": d.get("image"),
            "image_description": d["image_description"],
        }


class TopicForm(PostFields):
    title = forms.CharField(label=pgettext_lazy("post form", "Title of the topic"))
    field_order = ("title", "body", "content_warning", "anonymous", "image", "image_description")

    def values(self) -> dict[str, Any]:
        return {"title": self.cleaned_data["title"], **super().values()}


class ReplyForm(PostFields):
    quoted = forms.CharField(required=False, widget=forms.HiddenInput)


class SpaceForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("space form", "Title"), max_length=120)
    slug = forms.SlugField(
        label=pgettext_lazy("space form", "Address"),
        max_length=60,
        help_text=pgettext_lazy(
            "space form", "Lower-case letters, digits and dashes, for example “parents-aidants”."
        ),
    )
    description = forms.CharField(
        label=pgettext_lazy("space form", "Description"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    charter = forms.CharField(
        label=pgettext_lazy("space form", "Charter of this space"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=pgettext_lazy("space form", "Its own rules, in Markdown, shown at the top of the space."),
    )
    visibility = forms.ChoiceField(
        label=pgettext_lazy("space form", "Who may read it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    position = forms.IntegerField(
        label=pgettext_lazy("space form", "Position in the list"), min_value=0, max_value=1000, initial=100
    )
    mentions_enabled = forms.BooleanField(
        label=pgettext_lazy("space form", "Members may mention one another with @pseudonym"),
        required=False,
        initial=True,
        help_text=pgettext_lazy(
            "space form",
            "Untick it for a space where nobody should be pulled in, such as a space for hard moments.",
        ),
    )

    anonymous_allowed = forms.BooleanField(
        label=pgettext_lazy("space form", "Members may post here without their pseudonym (anonymously)"),
        required=False,
        initial=False,
        help_text=pgettext_lazy(
            "space form",
            "Nobody sees who wrote an anonymous message. The moderators can learn it only for someone's "
            "safety, with a second person's approval, and the author is told.",
        ),
    )

    FIELDS = (
        "title",
        "slug",
        "description",
        "charter",
        "visibility",
        "position",
        "mentions_enabled",
        "anonymous_allowed",
    )

    def values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.FIELDS}


class MemberForm(forms.Form):
    pseudonym = forms.CharField(
        label=pgettext_lazy("space members", "Pseudonym of the member to add"), max_length=40
    )


# --- Moderation -----------------------------------------------------------------------------------


class FlagForm(ServiceErrorsMixin, forms.Form):
    about = forms.ChoiceField(
        label=pgettext_lazy("flag form", "What do you report?"), widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=pgettext_lazy("flag form", "What worries you?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=pgettext_lazy("flag form", "In a few words (needed for “something else”)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, about: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["about"]).choices = about
        if len(about) == 1:
            self.fields["about"].initial = about[0][0]


SLOW_CHOICES = (
    (0, pgettext_lazy("moderation form", "Off")),
    (60, pgettext_lazy("moderation form", "One message a minute")),
    (300, pgettext_lazy("moderation form", "One message every 5 minutes")),
    (900, pgettext_lazy("moderation form", "One message every 15 minutes")),
    (3600, pgettext_lazy("moderation form", "One message an hour")),
)


class ActionForm(ServiceErrorsMixin, forms.Form):
    action = forms.ChoiceField(label=pgettext_lazy("moderation form", "Action"), widget=forms.RadioSelect)
    canned = forms.ModelChoiceField(
        label=pgettext_lazy("moderation form", "Start from a prepared reply (optional)"),
        queryset=CannedReply.objects.all(),
        required=False,
    )
    reason = forms.CharField(
        label=pgettext_lazy("moderation form", "Reason, for the member"),
        help_text=pgettext_lazy(
            "moderation form", "They read it, signed “the moderation team”: your name is never shown to them."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    body = forms.CharField(
        label=pgettext_lazy("moderation form", "New text of the message (to edit it)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    title = forms.CharField(
        label=pgettext_lazy("moderation form", "New title of the topic (to edit it)"),
        required=False,
        max_length=150,
    )
    space = forms.ChoiceField(label=pgettext_lazy("moderation form", "Move to the space"), required=False)
    seconds = forms.TypedChoiceField(
        label=pgettext_lazy("moderation form", "Slow mode"), choices=SLOW_CHOICES, coerce=int, required=False
    )
    until = dates.DateField(
        label=pgettext_lazy("moderation form", "Suspended until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self, *args: Any, actions: list[tuple[str, Any]], spaces: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = actions
        cast(forms.ChoiceField, self.fields["space"]).choices = [("", "—"), *spaces]

    def reason_text(self) -> str:
        canned = self.cleaned_data.get("canned")
        typed = self.cleaned_data.get("reason", "")
        return "\n\n".join(part for part in (canned.body if canned else "", typed.strip()) if part)


class CannedReplyForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("canned replies", "Short name"), max_length=80)
    body = forms.CharField(
        label=pgettext_lazy("canned replies", "Text"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    position = forms.IntegerField(
        label=pgettext_lazy("canned replies", "Position in the list"),
        min_value=0,
        max_value=1000,
        initial=100,
    )
