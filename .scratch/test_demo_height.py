from typing import Any
import pytest
from onestop.cases.demo import load_demo


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo(phone: Any, no_personas: None) -> None:
    load_demo()
    for lang in ("th", "en"):
        phone.goto(phone.base + "/wangchao/oss/")
        if lang == "en":
            phone.get_by_role("button", name="English").click()
        print("DEMO", lang, phone.evaluate("document.documentElement.scrollHeight"))
        phone.screenshot(path=f"/tmp/citizen/demo-{lang}.png", full_page=True)
