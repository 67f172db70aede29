"""Validation of the readers' filter parameters: a bad value is a 400, never a 500."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Formality, Nation, Pledge
from .selectors import MatrixFilter

MAX_TEXT = 200


def _date_in_range(value: dt.date | None) -> None:
    if value is not None and not dt.date(1900, 1, 1) <= value <= dt.date(2999, 12, 31):
        raise forms.ValidationError("Choose a date between 1900 and 2999.")


class MatrixFilterForm(forms.Form):
    """The form of every reader's filter (pledges.filters declares the fields, once, as
    django-filter filters; each FilterSet builds its form on this one): the checks that span
    a field's value, the matrix's choices, and the reader's selection."""

    def __init__(self, data=None, *args, **kwargs) -> None:
        if hasattr(data, "getlist") and "nation" in data:
            # Codes in any case, as /nations/it/ takes them: ?nation=it is Italy.
            data = data.copy()
            data.setlist("nation", [code.strip().upper() for code in data.getlist("nation")])
        super().__init__(data, *args, **kwargs)
        if "nation" in self.fields:
            # Only nations that have pledged anything are worth offering; any ISO code is
            # still accepted so shared URLs keep working. Read only when the form is shown.
            self.fields["nation"].widget.choices = _nations_with_pledges
        for name in ("nation", "bloc", "type"):
            if name in self.fields and isinstance(self.fields[name].widget, forms.SelectMultiple):
                self.fields[name].widget.attrs["size"] = 6

    def clean_as_of(self) -> dt.date | None:
        as_of = self.cleaned_data["as_of"]
        _date_in_range(as_of)
        return as_of

    def clean_compare(self) -> dt.date | None:
        compare = self.cleaned_data["compare"]
        _date_in_range(compare)
        return compare

    def clean_since(self) -> dt.date | None:
        since = self.cleaned_data["since"]
        _date_in_range(since)
        return since

    def clean_changed_since(self) -> dt.datetime | None:
        since = self.cleaned_data["changed_since"]
        _date_in_range(since.date() if since is not None else None)
        return since

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
            formalities=frozenset(data.get("formality") or ()),
            formality_min=data.get("formality_min") or "",
            text=data.get("q") or "",
            freshness=data.get("freshness") or "",
            compare=data.get("compare"),
        )


class MatrixPageForm(MatrixFilterForm):
    """The matrix page's form: its long lists as checkboxes, formalities in a word. Set here on
    the form's own copy of its fields: a FilterSet's filters share one field per class once
    anything (the API's schema) has read it, so changing a filter would not reach the form."""

    # Several of 249 nations are picked more easily by ticking boxes than in a select box.
    CHECKBOXES = ("nation", "bloc", "type", "formality")
    # Beside their dots the formalities need only a word; the legend gives them in full.
    FORMALITY_WORDS = (
        (Formality.STATEMENT, "statement"),
        (Formality.DECLARATION, "declaration"),
        (Formality.AGREEMENT, "signed"),
        (Formality.APPROVED, "approved"),
        (Formality.DELIVERED, "delivered"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.CHECKBOXES:
            field = self.fields[name]
            field.widget = forms.CheckboxSelectMultiple(choices=field.widget.choices)
        for name in ("formality", "formality_min"):
            self.fields[name].choices = self.FORMALITY_WORDS


def _nations_with_pledges() -> list[tuple[str, str]]:
    return [
        (nation.iso2, nation.name)
        for nation in Nation.objects.filter(
            Exists(Pledge.objects.filter(nation=OuterRef("pk")))
        ).only("iso2", "name")
    ]


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False, error_messages={"invalid": "Enter the date as YYYY-MM-DD."}
    )

    def as_of_or_today(self) -> dt.date:
        return self.cleaned_data.get("as_of") or timezone.localdate()
