"""Sign-in forms: the password step and the authenticator code step."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from govuk.forms import GovukBoundField, GovukForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form in the kit's markup; a wrong username or password is shown at the username box."""

    bound_field_class = GovukBoundField
    use_required_attribute = False
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask your administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"class": "govuk-!-width-two-thirds", "spellcheck": "false", "autocapitalize": "none"})
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget.attrs["class"] = "govuk-!-width-two-thirds"

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("username", error)
            return self.cleaned_data


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Security code",
        max_length=6,
        min_length=6,
        help_text="The 6-digit code from your authenticator app.",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit security code", "min_length": "Enter all 6 digits"},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The security code is 6 digits")
        return token
