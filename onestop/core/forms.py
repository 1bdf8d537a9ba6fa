"""Form pieces shared by the citizen's and the staff's forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import fields as model_fields
from django.forms.renderers import BaseRenderer
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Django's words for "nothing chosen" and "required": a reader never sees them.
_DASHES = "---------"


def _in_sentence(label: str) -> str:
    """The label as it reads inside a sentence: "First name" → "first name" in English."""
    if (translation.get_language() or "").startswith("en") and label[1:2].islower():
        return label[:1].lower() + label[1:]
    return label


def plain_wording(field: forms.Field) -> None:
    """Say in the field's own words what is missing, and what an empty choice means: Django's
    generic "This field is required." / "ฟิลด์นี้จำเป็น" becomes "กรุณากรอกชื่อ" ("Please enter
    the first name"), its "---------" / "- Select an option -" becomes "— เลือกกอง/สำนัก —".
    A message the field sets itself is kept. Applied to the form's own copy of the field when
    it is first used (so after the form's `__init__` has set its choices)."""
    label = _in_sentence(str(field.label or ""))
    required = field.error_messages.get("required")
    if str(required) == str(forms.Field.default_error_messages["required"]):
        if field.widget.is_hidden:  # only a page out of date or cut short misses one
            message = _("ข้อมูลในหน้านี้ไม่ครบ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")
        elif not label:
            message = _("กรุณากรอกข้อมูลในช่องที่ทำเครื่องหมายไว้")
        elif isinstance(field, forms.FileField):
            message = _("กรุณาแนบ%(label)s")
        elif isinstance(field, forms.BooleanField):
            message = _("กรุณาทำเครื่องหมายที่ช่อง “%(label)s”")
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            message = _("กรุณาเลือก%(label)s")
        else:
            message = _("กรุณากรอก%(label)s")
        field.error_messages["required"] = message % {"label": label}
    generic = {_DASHES, str(model_fields.BLANK_CHOICE_LABEL)}
    empty = _("— เลือก%(label)s —") % {"label": label} if label else _("— เลือก —")
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None and str(field.empty_label) in generic:
            field.empty_label = empty
    elif isinstance(field, forms.ChoiceField) and not callable(field.choices):
        choices = list(field.choices)
        if any(value == "" and str(text) in generic for value, text in choices):
            field.choices = [
                (value, empty if value == "" and str(text) in generic else text)
                for value, text in choices
            ]


class PlainBoundField(forms.BoundField):
    """The bound field of every OneStop form: see `plain_wording`."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        plain_wording(field)
        super().__init__(form, field, name)


class OneStopForm(forms.Form):
    """The base of every OneStop form: what all of them show the same way.

    - Labels have no trailing colon: Thai forms do not use one.
    - A field with an error gets the `has-error` class on its group (`{{ field.css_classes }}`)
      and Django's `aria-invalid` / `aria-describedby` on its input.
    - The error summary (templates/includes/error_summary.html) links each error to the field's
      input, or to the element named in `error_anchors` (e.g. the fieldset of radio cards), and
      puts the field's label before the message unless `errors_name_their_field` says the
      messages already do ("กรุณากรอกชื่อ").
    - A required field that sets no message of its own says what is missing, from its label,
      and a select's empty choice says what to choose (`plain_wording`). Forms that cannot
      derive from this class (Django's sign-in forms) set `bound_field_class = PlainBoundField`."""

    bound_field_class = PlainBoundField
    error_css_class = "has-error"
    error_anchors: ClassVar[dict[str, str]] = {}
    errors_name_their_field: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _attributes(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html in Python: ` name="value"`, a bare name for True."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's <select>, written here rather than by one template per option: the same HTML
    (tests/test_inbox_scale.py compares them), a tenth of the time. The inbox's filters have
    dozens of options (every request type, every member) on a page opened all day."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"', widget["name"]), _attributes(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(format_html('\n  <option value="{}"', str(option["value"])))
                html.append(_attributes(option["attrs"]))
                html.append(format_html(">{}</option>\n", option["label"]))  # as the file ends
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")  # the renderer strips the file's last newline
        return mark_safe("".join(html))  # noqa: S308 (every value escaped above)


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
