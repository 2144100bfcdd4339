"""The hotspot page's filters: the period (the last 12 months unless chosen), which date counts (the incident's,
or the report's), and the optional strand, crime type and source."""

from __future__ import annotations

from django import forms

from insights.forms import ALL, FiltersForm, _choices
from insights.selectors import Period, Reference
from insights.selectors.incidents import IncidentFilters
from recorded.models import COUNTED_SOURCES, RecordedCount


class IncidentFiltersForm(FiltersForm):
    basis = forms.ChoiceField(
        label="Count incidents by",
        required=False,
        choices=[
            (RecordedCount.Basis.OCCURRED, "Date of the incident"),
            (RecordedCount.Basis.REPORTED, "Date reported"),
        ],
    )
    source = forms.ChoiceField(label="Source", required=False)

    field_order = ["date_from", "date_to", "basis", "strand", "crime_type", "source"]

    def __init__(self, data=None, *, ref: Reference, **kwargs):
        super().__init__(data, ref=ref, facilitators=None, **kwargs)
        del self.fields["route"]
        self.fields["source"].choices = _choices("All sources", COUNTED_SOURCES.items())

    def incident_filters(self) -> IncidentFilters:
        base = self.filters()
        data = self.cleaned_data if self.is_bound else {}
        return IncidentFilters(
            period=Period(base.period.start, base.period.end),
            basis=data.get("basis") or RecordedCount.Basis.OCCURRED,
            strand=base.strand,
            crime_type=base.crime_type,
            source=data.get("source") or None if data.get("source") != ALL else None,
            partnerships=base.partnerships,
        )
