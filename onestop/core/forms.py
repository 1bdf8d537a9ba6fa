"""Form pieces shared by the citizen's and the staff's forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile


class OneStopForm(forms.Form):
    """The base of every OneStop form: what all of them show the same way.

    - Labels have no trailing colon: Thai forms do not use one.
    - A field with an error gets the `has-error` class on its group (`{{ field.css_classes }}`)
      and Django's `aria-invalid` / `aria-describedby` on its input.
    - The error summary (templates/includes/error_summary.html) links each error to the field's
      input, or to the element named in `error_anchors` (e.g. the fieldset of radio cards), and
      puts the field's label before the message unless `errors_name_their_field` says the
      messages already do ("กรุณากรอกชื่อ")."""

    error_css_class = "has-error"
    error_anchors: ClassVar[dict[str, str]] = {}
    errors_name_their_field: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ChooseFileInput(forms.FileInput):
    """A file input with a "เลือกไฟล์" / "Choose file" button in the page's language (a label
    of the input, so it works without JavaScript and the input keeps the keyboard focus); the
    browser's own button and "no file chosen", in the browser's language, are hidden
    (static/js/choose-file.js writes the chosen names)."""

    template_name = "core/widgets/choose_file.html"


class MultipleFileInput(ChooseFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files at once; cleans to a list (empty if none).
    Checking what the files are is `cases.uploads.validate_upload`'s job."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
