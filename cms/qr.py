"""QR codes: quiz session links, certificate verification, calendar feed addresses.

Error correction M survives a smudged poster or a glare on the projector screen; the
4-module quiet zone (border) is what the QR standard asks for, and the white fill
keeps it white on any background.
"""

import base64
import io

import qrcode
from qrcode.image.svg import SvgPathFillImage


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def svg(data: str) -> str:
    return _code(data).make_image(image_factory=SvgPathFillImage).to_string(encoding="unicode")


def png(data: str, *, box_size: int = 12) -> bytes:
    code = _code(data)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def svg_data_uri(data: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(data).encode()).decode()


def png_data_uri(data: str) -> str:
    """For PDFs: WeasyPrint embeds a PNG faster than it draws the SVG's squares."""
    return "data:image/png;base64," + base64.b64encode(png(data, box_size=8)).decode()
