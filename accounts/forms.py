"""Sign-in forms: the password step and the authenticator code step."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
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
            {"class": "govuk-!-width-two-thirds", "spellcheck": "false", "autocapitalize": "none"}
        )
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


class SecurityCodeForm(GovukForm):
    """The verify step: the 6-digit code from the app, or one of the backup codes given at enrolment."""

    token = forms.CharField(
        label="Security code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
        error_messages={"required": "Enter the 6-digit security code or a backup code"},
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split()).replace("-", "").lower()
        if len(token) == 6 and token.isdigit():
            return token
        if len(token) == 8 and all(ch in "abcdefghijklmnopqrstuvwxyz234567" for ch in token):
            return token  # a backup code (django-otp's static tokens: 8 base32 characters)
        raise forms.ValidationError("Enter the 6 digits your app shows, or a backup code of 8 letters and numbers")


class EnrolmentCodeForm(GovukForm):
    """The enrolment code (or the code from the link) an administrator gave the user."""

    code = forms.CharField(
        label="Enrolment code",
        max_length=40,
        help_text="The code your administrator gave you, for example ABCD-EFGH-JKLM-NPQR.",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-20",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
        error_messages={"required": "Enter the enrolment code your administrator gave you"},
    )


class SecondFactorResetForm(GovukForm):
    """Why an administrator is removing someone's authenticator and backup codes (kept in the security log)."""

    reason = forms.CharField(
        label="Why are you resetting their second factor?",
        max_length=1000,
        help_text="For example: lost phone, reported on 3 March by telephone and identity checked with their manager.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are resetting their second factor"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why you are resetting their second factor")
        return reason


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form (its validators, its token check in the view) in the kit's markup."""

    bound_field_class = GovukBoundField
    use_required_attribute = False


class AvailabilityForm(GovukForm):
    availability_note = forms.CharField(
        label="Your next leave or availability",
        max_length=200,
        required=False,
        help_text="Managers see it beside your caseload when they allocate cases. For example, "
        "On leave 14 to 18 December. Leave it empty when there is nothing to say.",
    )
