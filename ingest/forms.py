"""Editors' forms: submit an article, add a feed, correct a candidate before accepting it."""

from __future__ import annotations

from django import forms

from ingest.models import Feed
from ingest.web.canonical import canonical_url
from ingest.web.errors import FetchError
from pledges.models import Formality, Nation, PledgeType, Stance


class UrlField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=2000, **kwargs)
        self.widget.attrs.update({"type": "url", "inputmode": "url", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value).strip()
        try:
            return canonical_url(value)
        except FetchError as error:
            raise forms.ValidationError(str(error)) from error


class ArticleSubmitForm(forms.Form):
    url = UrlField(label="Article URL")


class FeedForm(forms.ModelForm):
    url = UrlField(label="Feed URL (RSS or Atom)")

    class Meta:
        model = Feed
        fields = ["url", "title"]


class CorrectionForm(forms.Form):
    nation = forms.ModelChoiceField(
        Nation.objects.all(),
        to_field_name="iso2",
        required=False,
        error_messages={"invalid_choice": "Unknown nation code."},
    )
    pledge_type = forms.ModelChoiceField(
        PledgeType.objects.all(), to_field_name="slug", required=False, label="Commitment"
    )
    stance = forms.ChoiceField(choices=[("", "—"), *Stance.choices], required=False)
    formality = forms.ChoiceField(choices=[("", "—"), *Formality.choices], required=False)
    conditions = forms.CharField(
        required=False, max_length=500, help_text="Comma-separated; empty for none."
    )
    announced_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    set_conditions = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def condition_names(self) -> tuple[str, ...] | None:
        if not self.cleaned_data.get("set_conditions"):
            return None
        return tuple(
            name.strip() for name in self.cleaned_data["conditions"].split(",") if name.strip()
        )


class CandidateIdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        try:
            return sorted({int(item) for item in value or ()})
        except (TypeError, ValueError) as error:
            raise forms.ValidationError("Candidates are identified by numbers.") from error


class BulkDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    candidate = CandidateIdsField(error_messages={"required": "Tick at least one candidate first."})
