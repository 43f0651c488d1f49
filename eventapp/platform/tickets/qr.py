"""QR codes of tickets: pure builders, the ticket code in, an image out."""

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _qr(code: str) -> qrcode.QRCode:
    # Medium error correction and the standard 4-module quiet zone: reads from a phone
    # screen or a crumpled printout, by phone cameras and handheld scanners alike.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    return qr


def qr_svg(code: str) -> str:
    """The code as an SVG element that scales to its container."""
    image = _qr(code).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    # Let CSS size it: drop the fixed millimetre size of the root element, keep its viewBox.
    head, rest = image.to_string(encoding="unicode").split(">", 1)
    attributes = " ".join(part for part in head.split(" ") if not part.startswith(("width=", "height=")))
    return f'{attributes} class="qr" role="img" aria-label="QR code">{rest}'


def qr_png(code: str, box_size: int = 10) -> bytes:
    """The code as a PNG image (for mails and downloads)."""
    qr = _qr(code)
    qr.box_size = box_size
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_matrix(code: str) -> list[list[bool]]:
    """The code's modules, True for dark, with the quiet zone (for drawing it as vector shapes, e.g. on badges)."""
    return _qr(code).get_matrix()
