"""The upload form of police records (the kit's form, a file and the skip-invalid choice)."""

from django import forms

from govuk.forms import GovukForm

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file of police records",
        help_text="Laid out as the import guide says: one row per crime or incident, with the column names in the "
        "first row. Records already held are matched by crime reference and updated.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to import"},
    )
    skip_invalid = forms.BooleanField(
        label="Import the valid rows even if some are rejected",
        required=False,
        help_text="Without this, one rejected row stops the whole import and nothing changes.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be 20 MB or smaller: split it into smaller files")
        return upload
