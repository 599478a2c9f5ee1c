from django import forms
from django.utils.translation import gettext_lazy as _

from schools.sheets import MAX_FILE_SIZE


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV (UTF-8, comma or semicolon) or Excel (.xlsx) file of at most 10 MB: a "
            "Dapodik or school-reference export, or an edited export of this list. "
            "Nothing is saved until you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
