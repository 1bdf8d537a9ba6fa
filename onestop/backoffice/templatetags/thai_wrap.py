"""Thai text that wraps only between words in narrow columns (the inbox's names and subjects).

Browsers break Thai with their own dictionary, which cuts names ("ประ|ภาพรรณ"); here each word
found by the PDF's tokenizer (`documents.thai_text.words`, PyThaiNLP with place names) is kept
whole (`<span class="w">`, `white-space: nowrap`) and a line may end only at a `<wbr>` between
words or at a space."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from onestop.documents.thai_text import words

register = template.Library()


@lru_cache(maxsize=4096)
def _wrapped(text: str) -> str:
    html: list[str] = []
    previous_was_word = False
    for piece in words(text):
        if piece.isspace():
            html.append(" ")
            previous_was_word = False
            continue
        if previous_was_word:
            html.append("<wbr>")
        html.append(f'<span class="w">{escape(piece)}</span>')
        previous_was_word = True
    return "".join(html)


@register.filter(is_safe=True)
def thai_wrap(value: object) -> SafeString:
    """`value` escaped, with each word unbreakable and a break allowed between words."""
    text = "" if value is None else str(value)
    return mark_safe(_wrapped(text[:500]))  # noqa: S308 (every piece escaped above)
