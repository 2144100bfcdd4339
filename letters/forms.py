"""Forms of the letter pages: create a letter, edit a template's wording, the print run's day and its marking."""

from django import forms

from govuk.forms import DatePartsField, GovukForm, GovukModelForm
from letters.content import Recipient
from letters.languages import ENGLISH, LANGUAGES
from letters.models import Letter, LetterFormat, LetterKind, LetterTemplate


class GenerateLetterForm(GovukForm):
    """Choose a kind of letter, a recipient on the case and, if needed, a format other than their usual."""

    kind = forms.ChoiceField(
        label="Kind of letter",
        choices=[("", "Choose a kind of letter"), *LetterKind.choices],
        error_messages={"required": "Choose a kind of letter"},
    )
    recipient = forms.ChoiceField(
        label="Who the letter is to",
        error_messages={"required": "Choose who the letter is to", "invalid_choice": "Choose someone on this case"},
    )
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "The format their communication needs call for"), *LetterFormat.choices],
        help_text="Large print and easy read are chosen automatically from the person's communication needs.",
    )

    def __init__(self, *args, recipients: list[Recipient], **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for recipient in recipients:
            needs = (
                ""
                if recipient.default_format == LetterFormat.STANDARD
                else f", {LetterFormat(recipient.default_format).label.lower()}"
            )
            choices.append((recipient.key, f"{recipient.label}{needs}"))
        self.fields["recipient"].choices = [("", "Choose who the letter is to"), *choices]


class LetterTemplateForm(GovukModelForm):
    """The wording of one template. The model's ``clean`` checks every placeholder."""

    class Meta:
        model = LetterTemplate
        fields = ["subject", "body", "closing"]
        widgets = {
            "subject": forms.TextInput(attrs={"spellcheck": "true"}),
            "body": forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
            "closing": forms.TextInput(attrs={"class": "govuk-!-width-one-half"}),
        }
        labels = {"subject": "Subject line", "body": "Wording", "closing": "Closing line"}
        help_texts = {
            "subject": "Printed in bold above the wording.",
            "body": "Paragraphs separated by a blank line. A line starting with '- ' is a bullet point. "
            "Placeholders are written like {{ recipient_name }}.",
            "closing": "For example 'Yours sincerely,'. The facilitator's name is printed under it.",
        }
        error_messages = {
            "subject": {"required": "Enter the subject line"},
            "body": {"required": "Enter the wording of the letter"},
            "closing": {"required": "Enter the closing line"},
        }


class TranslatedWordingForm(GovukForm):
    """Wording of a letter in a language it has none in yet (the service's ``add_template`` checks it)."""

    language = forms.ChoiceField(label="Language", error_messages={"required": "Choose the language of the wording"})
    subject = forms.CharField(
        label="Subject line", max_length=200, error_messages={"required": "Enter the subject line"}
    )
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        help_text="Keep every placeholder of the English wording, like {{ recipient_name }}: they are filled in "
        "with the case's facts.",
        error_messages={"required": "Enter the wording of the letter"},
    )
    closing = forms.CharField(
        label="Closing line", max_length=100, error_messages={"required": "Enter the closing line"}
    )

    def __init__(self, *args, taken: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "Choose a language")] + [
            (code, f"{lang.name} ({lang.native})" if lang.native != lang.name else lang.name)
            for code, lang in LANGUAGES.items()
            if code != ENGLISH and code not in taken
        ]


class TranslationForm(GovukForm):
    """Letting a letter held for translation go to the print run."""

    resolution = forms.ChoiceField(
        label="What is being sent",
        widget=forms.RadioSelect,
        choices=[
            (Letter.Translation.COPY_ATTACHED, "A translated copy is attached to this letter"),
            (Letter.Translation.SEND_IN_ENGLISH, "Send it in English (the person has agreed, or it cannot wait)"),
        ],
        error_messages={"required": "Choose whether a translated copy is attached or it is sent in English"},
    )


class PrintRunDayForm(GovukForm):
    """The day whose letters the print run lists, typed as day, month and year."""

    date = DatePartsField(
        label="Letters created on", error_messages={"required": "Enter the date the letters were created"}
    )


class PrintRunPdfForm(GovukForm):
    """How the print run's PDF is made (the letters themselves are hidden inputs beside it)."""

    double_sided = forms.BooleanField(
        label="Printing on both sides (each letter starts on a new sheet)",
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )


class MarkSentForm(GovukForm):
    letters = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "There are no letters to mark as sent",
            "invalid_choice": "A letter in the list has changed",
            "invalid_pk_value": "A letter in the list has changed",
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letters"].queryset = queryset


class BslVideoForm(GovukForm):
    """The link to the BSL video of one kind of letter (or of the survey); empty removes it."""

    url = forms.CharField(
        label="Link to the BSL video",
        max_length=500,
        required=False,
        help_text="A video the partnership hosts. It must start with https://. Leave empty to remove it.",
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
    )
