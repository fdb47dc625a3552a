from django import forms

from .models import Reader


class DigestSettingsForm(forms.ModelForm):
    """The language of a reader's digests, and whether they get them."""

    class Meta:
        model = Reader
        fields = ["language", "receives_digests"]
