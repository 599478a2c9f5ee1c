"""Read QR codes back the way a phone camera would: rasterise, then decode."""

import io

import pypdfium2
import zxingcpp
from PIL import Image


def decode_image(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def decode_png(content: bytes) -> list[str]:
    return decode_image(Image.open(io.BytesIO(content)).convert("L"))


def decode_pdf_qr(content: bytes, *, scale: float = 2, page: int = 0) -> list[str]:
    """The QR codes on one page (the first by default) of a PDF, rendered at 144 dpi."""
    page = pypdfium2.PdfDocument(content)[page]
    return decode_image(page.render(scale=scale).to_pil().convert("L"))
