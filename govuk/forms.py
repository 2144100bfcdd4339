"""GOV.UK Frontend markup for Django forms, for every app: ``GovukForm`` and ``GovukModelForm`` are the base forms;
``GovukBoundField`` adds the input classes, the error classes and ``aria-describedby`` ids that match the hint and
error paragraphs of ``templates/govuk/field.html``; ``DatePartsField`` is the GOV.UK date input (day, month and year
boxes), the only way a form here asks for a date; ``yes_no_field`` is a pair of yes/no radios.

A date and a time are two fields (``DatePartsField`` and ``forms.TimeField``) joined by ``aware`` in the form's
``clean``: GOV.UK has no combined date-time pattern. An empty time box means the time is not known: ``aware`` then
gives the day's midnight, and ``time_known`` says so, for the record's ``time_known`` flag.

Text has a limit (``rjcases.limits``, through the model field or the form field's ``max_length``); the kit words the
error the GOV.UK way, "Summary must be 5,000 characters or fewer", and leaves out the browser's ``maxlength``, which
would cut a paste short without a word."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

YES_NO = (("yes", "Yes"), ("no", "No"))


# ---------------------------------------------------------------------------------------------------
# GOV.UK markup


class GovukBoundField(BoundField):
    """A bound field whose widget carries GOV.UK classes and points at its hint and error by id."""

    _classes = {
        "textinput": "govuk-input",
        "emailinput": "govuk-input",
        "passwordinput": "govuk-input",
        "numberinput": "govuk-input",
        "timeinput": "govuk-input govuk-input--width-5",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "fileinput": "govuk-file-upload",
    }

    @property
    def aria_describedby(self):
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}-hint")
        if self.errors:
            ids.append(f"{self.auto_id}-error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = widget.__class__.__name__.lower()
        css = self._classes.get(kind)
        if css:
            extra = widget.attrs.get("class", "")
            error = ""
            if self.errors:
                error = (
                    " govuk-textarea--error"
                    if kind == "textarea"
                    else (" govuk-select--error" if kind == "select" else " govuk-input--error")
                )
            attrs["class"] = " ".join(filter(None, [css, extra])) + error
        return attrs

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the first input of the field."""
        widget = self.field.widget
        if isinstance(widget, DatePartsWidget):
            return f"{self.auto_id}-day"
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def says_optional(self) -> bool:
        """Whether the label says "(optional)": not for a required field, nor for a revealed field required whenever
        it shows (the form's ``required_when_shown``)."""
        return not self.field.required and self.name not in getattr(self.form, "required_when_shown", ())

    @property
    def is_date(self) -> bool:
        return isinstance(self.field.widget, DatePartsWidget)

    @property
    def is_choice_list(self) -> bool:
        return isinstance(self.field.widget, forms.RadioSelect)

    @property
    def is_multiple(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxSelectMultiple)

    @property
    def date_boxes(self) -> list[tuple[str, str, str, int]]:
        """(name suffix, label, value, width) of the day, month and year boxes."""
        day, month, year = self.date_parts
        return [("day", "Day", day, 2), ("month", "Month", month, 2), ("year", "Year", year, 4)]

    @property
    def reveal(self) -> tuple[str, BoundField] | None:
        """(the value that reveals it, the field) when choosing this field's value shows another field under it."""
        value, name = getattr(self.form, "reveals", {}).get(self.name, (None, None))
        return (value, self.form[name]) if name else None

    @property
    def reveal_shown(self) -> bool:
        reveal = self.reveal
        return bool(reveal) and reveal[0] in self.selected_values

    @property
    def revealed_by(self) -> str | None:
        """The field whose answer shows this one, if any (the field is drawn inside that one's conditional reveal)."""
        return next(
            (name for name, (_v, shown) in getattr(self.form, "reveals", {}).items() if shown == self.name), None
        )

    @property
    def date_parts(self) -> tuple[str, str, str]:
        value = self.value()
        if isinstance(value, date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, list | tuple) and len(value) == 3:
            return tuple("" if part is None else str(part) for part in value)
        return "", "", ""

    @property
    def selected_values(self) -> set[str]:
        value = self.value()
        if value is None or value is False:
            return set()
        if value is True:
            return {"on"}
        if isinstance(value, list | tuple | set):
            return {str(v) for v in value}
        return {str(value)}


def _govuk_messages(fields: dict[str, forms.Field]) -> None:
    """GOV.UK wording for the too-long and not-an-email errors of every field that has no wording of its own."""
    for name, field in fields.items():
        label = str(field.label or name.replace("_", " ").capitalize()).rstrip("?:")
        if getattr(field, "max_length", None):
            field.error_messages.setdefault(
                "max_length", f"{label} must be {field.max_length:,} characters or fewer".replace("%", "%%")
            )
            field.widget.attrs.pop("maxlength", None)
        if isinstance(field, forms.EmailField):
            field.error_messages.setdefault(
                "invalid", "Enter an email address in the correct format, like name@example.com"
            )


class GovukForm(forms.Form):
    """The base of every form: GOV.UK markup, and no browser validation (the error summary says what is wrong).

    ``reveals`` maps a radio or checkbox field to (the value that reveals, the field shown under it): the GOV.UK
    conditional reveal. A single checkbox reveals on ``"on"``. ``required_when_shown`` names the revealed fields
    that ``clean`` requires whenever they show: their labels do not say "(optional)".
    """

    bound_field_class = GovukBoundField
    use_required_attribute = False
    reveals: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_messages(self.fields)

    def full_clean(self):
        _govuk_messages(self.fields)  # again, for fields a subclass added after __init__
        super().full_clean()


class GovukModelForm(forms.ModelForm):
    """``GovukForm`` for a model."""

    bound_field_class = GovukBoundField
    use_required_attribute = False
    reveals: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_messages(self.fields)

    def full_clean(self):
        _govuk_messages(self.fields)  # again, for fields a subclass added after __init__
        super().full_clean()


class ListedChoiceIterator(ModelChoiceIterator):
    """A model select's options read in one fetch of the queryset: Django's iterator() opens a server-side cursor
    on PostgreSQL (outside a transaction a WITH HOLD one: DECLARE, FETCH, CLOSE), three round trips for a short list
    of reference data. The same options, in the same order; still one query each time they are drawn."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` for a short list (reference data): its options in one fetch (``ListedChoiceIterator``)."""

    iterator = ListedChoiceIterator


# ---------------------------------------------------------------------------------------------------
# Dates as three boxes (the GOV.UK date input pattern)


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year boxes; ``templates/govuk/date_input.html`` renders them."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)
        self.widgets_names = ["-day", "-month", "-year"]  # GOV.UK's names: date-day, date-month, date-year

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""


class DatePartsField(forms.Field):
    """A date typed as day, month and year, with messages that say which part is wrong."""

    widget = DatePartsWidget

    def __init__(self, *, not_in_future: bool = False, **kwargs):
        self.not_in_future = not_in_future
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            return None
        label = str(self.label or "the date").lower()
        names = ("day", "month", "year")
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self.label or 'The date'} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValidationError(f"Enter {label} as numbers, with a 4-digit year")
        try:
            value = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(f"{self.label or 'The date'} must be a real date")
        if self.not_in_future and value > timezone.localdate():
            raise ValidationError(f"{self.label or 'The date'} must be today or in the past")
        return value


def yes_no(value: str | None) -> bool | None:
    """A yes/no/unanswered radio's value as True, False or None."""
    return {"yes": True, "no": False}.get(value or "")


def yes_no_field(label: str, *, required: bool = True, help_text: str = "", error: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        coerce=lambda v: v == "yes",
        empty_value=None,
        error_messages={"required": error or f"Select yes or no: {label[0].lower()}{label[1:].rstrip('?')}"},
    )


def aware(day: date, at: time | None = None) -> datetime:
    """A date and an optional time (midnight if none) as an aware datetime in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, at or time(0, 0)))


def time_known(at: time | None) -> bool:
    """Whether a time box was filled in: an empty one means the time was not recorded, not midnight."""
    return at is not None
