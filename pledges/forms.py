"""Validation of the readers' filter parameters: a bad value is a 400, never a 500."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Bloc, Nation, Pledge, PledgeType, Stance
from .selectors import MatrixFilter

MAX_TEXT = 200


class MatrixFilterForm(forms.Form):
    nation = forms.ModelMultipleChoiceField(
        queryset=Nation.objects.none(),
        to_field_name="iso2",
        required=False,
        label="Nations",
        error_messages={"invalid_choice": "Unknown nation code: %(value)s."},
    )
    bloc = forms.ModelMultipleChoiceField(
        queryset=Bloc.objects.all(),
        to_field_name="slug",
        required=False,
        label="Blocs",
        error_messages={"invalid_choice": "Unknown bloc: %(value)s."},
    )
    type = forms.ModelMultipleChoiceField(
        queryset=PledgeType.objects.all(),
        to_field_name="slug",
        required=False,
        label="Commitments",
        error_messages={"invalid_choice": "Unknown commitment type: %(value)s."},
    )
    stance = forms.MultipleChoiceField(
        choices=Stance.choices,
        required=False,
        label="Stances",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Unknown stance: %(value)s."},
    )
    as_of = forms.DateField(
        required=False,
        label="As of",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    q = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. Meloni, ceasefire"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only nations that have pledged anything are worth offering; any ISO code is
        # still accepted so shared URLs keep working.
        self.fields["nation"].queryset = Nation.objects.all()
        self.fields["nation"].widget.choices = [
            (nation.iso2, nation.name)
            for nation in Nation.objects.filter(
                Exists(Pledge.objects.filter(nation=OuterRef("pk")))
            ).only("iso2", "name")
        ]
        for name in ("nation", "bloc", "type"):
            self.fields[name].widget.attrs["size"] = 6

    def clean_as_of(self) -> dt.date | None:
        as_of = self.cleaned_data["as_of"]
        if as_of is not None and not dt.date(1900, 1, 1) <= as_of <= dt.date(2999, 12, 31):
            raise forms.ValidationError("Choose a date between 1900 and 2999.")
        return as_of

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        if "\x00" in text:
            raise forms.ValidationError("Search text cannot contain NUL characters.")
        return text

    def to_filter(self) -> MatrixFilter:
        data = self.cleaned_data
        return MatrixFilter(
            as_of=data.get("as_of") or timezone.localdate(),
            nations=frozenset(n.iso2 for n in data.get("nation") or ()),
            blocs=frozenset(b.slug for b in data.get("bloc") or ()),
            pledge_types=frozenset(t.slug for t in data.get("type") or ()),
            stances=frozenset(data.get("stance") or ()),
            text=data.get("q") or "",
        )


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False, error_messages={"invalid": "Enter the date as YYYY-MM-DD."}
    )

    def as_of_or_today(self) -> dt.date:
        return self.cleaned_data.get("as_of") or timezone.localdate()
