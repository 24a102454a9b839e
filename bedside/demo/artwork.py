"""Pleasant generated pictures for the demo: portraits, a logo and office scenes.

Everything is drawn with Pillow from a seed, so the demo needs no download and looks the
same on every machine. Each function returns encoded image bytes ready to hand to a
service as an upload.
"""

import hashlib
import io
import random
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFilter, ImageFont

RGB = tuple[int, int, int]

SKIN_TONES: Sequence[RGB] = (
    (255, 224, 196), (241, 194, 155), (224, 172, 130), (198, 134, 96),
    (161, 102, 68), (120, 75, 50), (92, 58, 40),
)  # fmt: skip
HAIR_COLOURS: Sequence[RGB] = (
    (40, 30, 25), (75, 50, 35), (120, 80, 45), (180, 140, 90), (200, 200, 205), (25, 25, 30),
)  # fmt: skip
CLOTHES: Sequence[RGB] = (
    (46, 125, 140), (70, 110, 170), (120, 90, 160), (200, 110, 90), (90, 140, 100), (245, 245, 250),
)  # fmt: skip
BACKDROPS: Sequence[tuple[RGB, RGB]] = (
    ((214, 236, 240), (170, 212, 222)),
    ((240, 230, 214), (222, 200, 170)),
    ((226, 232, 246), (186, 198, 232)),
    ((232, 242, 226), (196, 222, 184)),
    ((246, 226, 232), (226, 188, 200)),
)
TEAL: RGB = (31, 111, 120)
CREAM: RGB = (250, 247, 240)


def _rng(seed: str) -> random.Random:
    digest = hashlib.sha256(seed.encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _encode(image: Image.Image, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=88)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def _shade(colour: RGB, factor: float) -> RGB:
    r, g, b = (max(0, min(255, round(c * factor))) for c in colour)
    return (r, g, b)


def portrait(seed: str, *, size: int = 480) -> bytes:
    """A friendly head-and-shoulders illustration, different for every ``seed``."""
    rng = _rng(seed)
    top, bottom = rng.choice(BACKDROPS)
    image = _gradient((size, size), top, bottom)
    draw = ImageDraw.Draw(image)
    s = size / 480
    skin = rng.choice(SKIN_TONES)
    hair = rng.choice(HAIR_COLOURS)
    clothes = rng.choice(CLOTHES)
    long_hair = rng.random() < 0.5
    cx = size / 2 + rng.uniform(-12, 12) * s
    if long_hair:
        draw.rounded_rectangle(
            [cx - 118 * s, 120 * s, cx + 118 * s, 360 * s], radius=int(80 * s), fill=hair
        )
    draw.ellipse([cx - 190 * s, 350 * s, cx + 190 * s, 640 * s], fill=clothes)
    if clothes == (245, 245, 250):  # a white coat gets lapels and a teal shirt
        draw.polygon([(cx - 40 * s, 350 * s), (cx + 40 * s, 350 * s), (cx, 430 * s)], fill=TEAL)
    draw.rectangle([cx - 36 * s, 290 * s, cx + 36 * s, 370 * s], fill=_shade(skin, 0.9))
    draw.ellipse([cx - 100 * s, 110 * s, cx + 100 * s, 330 * s], fill=skin)
    draw.ellipse([cx - 112 * s, 200 * s, cx - 88 * s, 250 * s], fill=_shade(skin, 0.95))
    draw.ellipse([cx + 88 * s, 200 * s, cx + 112 * s, 250 * s], fill=_shade(skin, 0.95))
    draw.chord([cx - 106 * s, 92 * s, cx + 106 * s, 260 * s], 180, 360, fill=hair)
    if rng.random() < 0.5:
        draw.ellipse([cx - 30 * s, 96 * s, cx + 100 * s, 190 * s], fill=hair)
    eye_y = 218 * s
    for dx in (-38, 38):
        draw.ellipse(
            [cx + (dx - 9) * s, eye_y - 9 * s, cx + (dx + 9) * s, eye_y + 9 * s], fill=(45, 40, 40)
        )
    if rng.random() < 0.35:  # glasses
        for dx in (-38, 38):
            draw.ellipse(
                [cx + (dx - 26) * s, eye_y - 22 * s, cx + (dx + 26) * s, eye_y + 22 * s],
                outline=(60, 60, 70),
                width=max(1, int(4 * s)),
            )
        draw.line([cx - 12 * s, eye_y, cx + 12 * s, eye_y], fill=(60, 60, 70), width=int(4 * s))
    draw.arc(
        [cx - 42 * s, 232 * s, cx + 42 * s, 290 * s], 20, 160, fill=(150, 70, 70), width=int(6 * s)
    )
    for dx in (-62, 62):
        draw.ellipse(
            [cx + (dx - 16) * s, 250 * s, cx + (dx + 16) * s, 270 * s], fill=_shade(skin, 0.93)
        )
    return _encode(image.filter(ImageFilter.SMOOTH))


def initials_avatar(name: str, *, size: int = 240) -> bytes:
    """A round badge with the person's initials, for people without a portrait."""
    rng = _rng(name)
    _top, bottom = rng.choice(BACKDROPS)
    image = Image.new("RGB", (size, size), CREAM)
    draw = ImageDraw.Draw(image)
    draw.ellipse([0, 0, size - 1, size - 1], fill=_shade(bottom, 0.75))
    letters = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), letters, fill=CREAM, font=font, anchor="mm")
    return _encode(image, "PNG")


def logo(name: str, *, size: int = 400) -> bytes:
    """A teal badge with a river running under a cross, and the practice's initial."""
    image = Image.new("RGB", (size, size), CREAM)
    draw = ImageDraw.Draw(image)
    pad = size // 16
    draw.rounded_rectangle([pad, pad, size - pad, size - pad], radius=size // 5, fill=TEAL)
    c = size / 2
    arm, thick = size * 0.22, size * 0.075
    draw.rectangle([c - thick, c - arm - size * 0.08, c + thick, c + arm - size * 0.08], fill=CREAM)
    draw.rectangle([c - arm, c - thick - size * 0.08, c + arm, c + thick - size * 0.08], fill=CREAM)
    for i, y in enumerate((0.70, 0.78)):
        draw.arc(
            [size * 0.2, size * (y - 0.06), size * 0.5, size * (y + 0.06)], 200, 340,
            fill=(170, 222, 226) if i else CREAM, width=max(2, size // 40),
        )  # fmt: skip
        draw.arc(
            [size * 0.5, size * (y - 0.06), size * 0.8, size * (y + 0.06)], 20, 160,
            fill=(170, 222, 226) if i else CREAM, width=max(2, size // 40),
        )  # fmt: skip
    font = ImageFont.load_default(size=size // 9)
    draw.text((size * 0.5, size * 0.9), name[:1].upper(), fill=TEAL, font=font, anchor="mm")
    return _encode(image, "PNG")


SCENES = ("waiting_room", "front_desk", "garden", "team_table", "exam_room", "celebration")


def office_scene(scene: str, seed: str, *, width: int = 960, height: int = 640) -> bytes:
    """An illustrated scene from the practice: ``scene`` is one of ``SCENES``."""
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r}")
    rng = _rng(f"{scene}:{seed}")
    outdoors = scene == "garden"
    wall = (186, 222, 240) if outdoors else rng.choice(((238, 232, 220), (224, 236, 232)))
    floor = (120, 176, 96) if outdoors else rng.choice(((196, 160, 120), (170, 170, 176)))
    image = _gradient((width, height), wall, _shade(wall, 0.92))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.68)
    draw.rectangle([0, horizon, width, height], fill=floor)
    if outdoors:
        draw.ellipse([width * 0.78, 40, width * 0.78 + 90, 130], fill=(255, 214, 102))
        for _ in range(7):
            _tree(draw, rng.uniform(0, width), horizon, rng)
    else:
        _window(draw, rng.uniform(width * 0.08, width * 0.55), height * 0.12, width, height)
        _plant(draw, rng.uniform(width * 0.02, width * 0.12), horizon, rng)
        _plant(draw, rng.uniform(width * 0.85, width * 0.93), horizon, rng)
    _furnish(draw, scene, width, height, horizon, rng)
    people = {"team_table": 5, "celebration": 6, "front_desk": 2, "garden": 3}.get(scene, 1)
    for i in range(people):
        x = width * (0.18 + 0.64 * (i + 0.5) / people) + rng.uniform(-20, 20)
        _person(draw, x, horizon + rng.uniform(-10, 30), rng)
    if scene == "celebration":
        for _ in range(60):
            x, y = rng.uniform(0, width), rng.uniform(0, horizon * 0.8)
            draw.rectangle([x, y, x + 8, y + 14], fill=rng.choice(CLOTHES[:5]))
    return _encode(image.filter(ImageFilter.SMOOTH))


def _window(draw: ImageDraw.ImageDraw, x: float, y: float, width: int, height: int) -> None:
    w, h = width * 0.3, height * 0.34
    draw.rectangle([x, y, x + w, y + h], fill=(255, 255, 255))
    draw.rectangle([x + 8, y + 8, x + w - 8, y + h - 8], fill=(160, 206, 236))
    draw.ellipse([x + w * 0.1, y + h * 0.55, x + w * 0.6, y + h * 1.1], fill=(120, 180, 110))
    draw.line([x + w / 2, y, x + w / 2, y + h], fill=(255, 255, 255), width=6)


def _plant(draw: ImageDraw.ImageDraw, x: float, ground: float, rng: random.Random) -> None:
    draw.polygon([(x, ground - 60), (x + 60, ground - 60), (x + 50, ground), (x + 10, ground)],
                 fill=(196, 110, 80))  # fmt: skip
    for _ in range(9):
        lx, ly = x + rng.uniform(-20, 60), ground - rng.uniform(90, 190)
        draw.ellipse([lx, ly, lx + 34, ly + 60], fill=(70, 140, 80))


def _tree(draw: ImageDraw.ImageDraw, x: float, ground: float, rng: random.Random) -> None:
    draw.rectangle([x - 10, ground - 120, x + 10, ground + 10], fill=(120, 84, 60))
    r = rng.uniform(50, 80)
    draw.ellipse([x - r, ground - 120 - r * 1.5, x + r, ground - 120 + r * 0.5], fill=(76, 150, 86))


def _furnish(
    draw: ImageDraw.ImageDraw, scene: str, width: int, height: int, horizon: int, rng: random.Random
) -> None:
    if scene == "waiting_room":
        for i in range(5):
            x = width * 0.2 + i * width * 0.13
            draw.rounded_rectangle([x, horizon - 70, x + 90, horizon + 30], 14, fill=TEAL)
    elif scene == "front_desk":
        draw.rounded_rectangle([width * 0.15, horizon - 40, width * 0.85, height * 0.95], 18,
                               fill=(230, 214, 190))  # fmt: skip
    elif scene in {"team_table", "celebration"}:
        draw.ellipse(
            [width * 0.15, horizon - 10, width * 0.85, height * 0.98], fill=(210, 180, 140)
        )
        for _ in range(8):
            x = rng.uniform(width * 0.25, width * 0.72)
            draw.ellipse([x, horizon + 40, x + 56, horizon + 70], fill=(255, 255, 255))
    elif scene == "exam_room":
        draw.rounded_rectangle([width * 0.55, horizon - 60, width * 0.9, horizon + 20], 12,
                               fill=(170, 212, 222))  # fmt: skip


def _person(draw: ImageDraw.ImageDraw, x: float, ground: float, rng: random.Random) -> None:
    clothes, skin, hair = rng.choice(CLOTHES), rng.choice(SKIN_TONES), rng.choice(HAIR_COLOURS)
    draw.rounded_rectangle([x - 44, ground - 150, x + 44, ground + 10], 40, fill=clothes)
    draw.ellipse([x - 32, ground - 230, x + 32, ground - 160], fill=skin)
    draw.chord([x - 34, ground - 236, x + 34, ground - 180], 180, 360, fill=hair)
    draw.arc([x - 14, ground - 200, x + 14, ground - 178], 20, 160, fill=(150, 70, 70), width=3)
