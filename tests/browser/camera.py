"""A fake camera for Chromium: a Y4M video of a QR code (Chromium plays it as the webcam)."""

from pathlib import Path

import qrcode
from PIL import Image

WIDTH, HEIGHT = 640, 480


def qr_video(code: str, path: Path, frames: int = 20) -> Path:
    """Write a 640x480 grey Y4M clip showing the QR code of `code` on white paper."""
    qr = qrcode.make(code, box_size=6, border=4).convert("L")
    side = min(360, qr.size[0])
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path
