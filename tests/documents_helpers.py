"""Reading generated PDFs back as a person would: text through `pdftotext`, pages as PNG
through `pdftoppm` (kept under test-artifacts/ to be looked at), QR codes through zxing-cpp."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import zxingcpp
from PIL import Image

from tests.conftest import require_tool

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pdf_text(pdf: bytes) -> str:
    """The text of every page in drawing order (`pdftotext -raw`), as copy-paste or a search
    gets it. (The `-layout` mode sorts glyphs by position, and a Thai tone mark nudged right by
    the shaper then comes out after the next vowel.)"""
    tool = require_tool("pdftotext")
    result = subprocess.run(
        [tool, "-raw", "-", "-"], input=pdf, capture_output=True, check=True, timeout=30
    )
    return result.stdout.decode("utf-8")


def comparable(text: str) -> str:
    """`text` without whitespace, to compare text that wraps at different places."""
    return "".join(ch for ch in text if not ch.isspace())


def page_images(pdf: bytes, name: str, *, resolution: int = 60) -> list[Path]:
    """Each page as PNG under test-artifacts/<name>-N.png (replaced on every run)."""
    tool = require_tool("pdftoppm")
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-[0-9]*.png"):
        old.unlink()
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [tool, "-r", str(resolution), "-png", "-", str(ARTIFACTS / name)],
        input=pdf,
        check=True,
        timeout=60,
    )
    return sorted(
        ARTIFACTS.glob(f"{name}-[0-9]*.png"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1])
    )


def qr_texts(image: Image.Image | bytes | Path) -> list[str]:
    """The texts of the QR codes found in an image."""
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    elif isinstance(image, Path):
        image = Image.open(image)
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def count_pixels(page: Path, predicate: Callable[[tuple[int, ...]], bool]) -> int:
    """How many pixels of an image match `predicate` (given (r, g, b))."""
    with Image.open(page) as image:
        pixels = image.convert("RGB").get_flattened_data()
        return sum(1 for pixel in pixels if isinstance(pixel, tuple) and predicate(pixel))
