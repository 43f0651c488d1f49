"""Draw the desk app's icons (the PNGs a web app manifest needs): `python tools/desk_icons.py`.

The PNGs are committed; this script is how they were made, so a new colour or size is one run away.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (22, 66, 91)  # --brand in app.css
OUT = Path(__file__).resolve().parent.parent / "eventapp" / "static" / "icons"


def draw(size: int) -> Image.Image:
    """The brand's "JV" on its blue with a green tick: readable at 48 px, safe inside a maskable circle."""
    image = Image.new("RGB", (size, size), BRAND)
    pen = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=int(size * 0.36))
    pen.text((size * 0.5, size * 0.42), "JV", font=font, fill="white", anchor="mm")
    tick = [(0.34, 0.68), (0.45, 0.78), (0.68, 0.58)]
    pen.line([(x * size, y * size) for x, y in tick], fill=(120, 220, 150), width=max(2, size // 18), joint="curve")
    return image


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"desk-{size}.png", optimize=True)
