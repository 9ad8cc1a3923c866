"""Citizen photo pipeline: untrusted upload bytes in, clean stored image + thumbnail out.

This is pure Pillow work with no Django and no ORM: the service layer calls :func:`process_photo` for
every uploaded photo *before* it opens the database transaction, then stores ``content`` and
``thumbnail`` through Django's storage API under names it chooses (unguessable, never derived from the
client's file name).

What happens to one upload, in order, and why:

1. **Size.** At most ``max_bytes + 1`` bytes are read, so a 2 GB upload costs 10 MB of memory and is
   refused as ``photo_too_large`` without reading the rest. Zero bytes is ``photo_empty``.
2. **Format.** The real format is sniffed from the magic bytes; the file name, extension and the
   client's content type are never consulted. Accepted: JPEG (incl. MPO, the multi-picture JPEG some
   phones write), PNG, WebP and HEIC/HEIF (``pillow_heif``). Everything else, GIF included, is
   ``photo_unsupported_format``, so an HTML-in-GIF polyglot never reaches a decoder. Pillow is then
   told to use only the sniffed plugin (``formats=[...]``).
3. **Pixels before decoding.** ``Image.open`` only parses the header; anything over ``max_pixels`` is
   refused as ``photo_too_many_pixels`` before a single pixel buffer is allocated. Pillow's own bomb
   check backs this up: importing this module lowers ``Image.MAX_IMAGE_PIXELS`` to
   :data:`DEFAULT_MAX_PIXELS` (never raises it), so Pillow warns above 40 MP and refuses above 80 MP
   on its own; both its error and its warning (when warnings are escalated to errors) become
   ``photo_too_many_pixels``. A caller passing a larger ``max_pixels`` must raise the Pillow limit too.
4. **Reduced decoding.** The stored photo is at most ``max_side`` on its long side. A JPEG is decoded
   straight at 1/2, 1/4 or 1/8 scale with libjpeg's DCT scaling (``draft``) and other formats are
   box-reduced by an integer factor, choosing the largest factor that keeps the long side at least
   :data:`MIN_REDUCED_SIDE_FRACTION` (15/16) of ``max_side``, i.e. 1920 px for 2048. That is a
   deliberate trade: a 12 MP phone photo (4000x3000, 4032x3024) is stored at 2000x1500 / 2016x1512
   instead of 2048 px, and in exchange it decodes at a quarter of the pixels and skips the
   resampling pass entirely (on this machine: ~35 ms decode instead of ~70 ms full decode plus
   ~300 ms Lanczos). When no factor lands in that band (e.g. a 3000 px photo) the image is decoded
   fully and resized with Lanczos to exactly ``max_side``. The factor is computed on the stored
   (un-rotated) size, which is what ``draft`` sees; the long-side limit does not depend on the
   orientation, so no orientation is needed before decoding.
5. **Full decode.** ``load()`` decodes every pixel; truncated or damaged files fail
   (``ImageFile.LOAD_TRUNCATED_IMAGES`` is left off) and are ``photo_corrupt``. Multi-frame images
   (animated WebP, APNG, MPO, HEIF collections) keep their first/primary frame only.
6. **Location hint.** EXIF GPS (the GPSInfo IFD) is read before anything is stripped and returned as
   decimal degrees in ``ProcessedPhoto.gps``; it is a private hint for the service, never stored in
   the image. Broken or implausible GPS (missing N/S/E/W reference, out of range, exactly 0,0) is
   ``None``; it never rejects the photo.
7. **Orientation.** The EXIF orientation (same mapping as ``ImageOps.exif_transpose``) is applied
   after resizing, where the transpose costs 4x less; HEIF is already oriented by libheif.
8. **Colour and format of what is stored.** Street photos are stored as baseline JPEG, quality
   :data:`JPEG_QUALITY`, RGB. The one exception is a photo with real transparency (at least one
   pixel not fully opaque): dropping the alpha channel could make a screenshot of white text
   unreadable, so a transparent PNG (or transparent HEIF) stays PNG and a transparent WebP stays WebP
   (lossy with alpha, far smaller than PNG). An alpha channel that is fully opaque is dropped and the
   photo becomes a JPEG. Grayscale, palette, CMYK and 16-bit images become 8-bit RGB.
9. **No metadata.** Stored photo and thumbnail carry no EXIF, GPS, XMP, comments, text chunks or
   thumbnails: ``info`` is cleared and nothing is passed to the encoder. The only thing kept is an ICC
   colour profile when the source has a valid RGB profile that is *not* sRGB (typically an iPhone's
   Display P3): without it the colours would be visibly wrong, it holds no personal data, and
   converting the pixels to sRGB instead costs ~90 ms per photo. sRGB and unusable profiles are
   dropped (sRGB is what an untagged image means anyway).
10. **Thumbnail** of at most ``thumb_side`` on the long side, from the stored image, same format.

The function keeps no state between calls and changes no global state, so it is safe to call from
several threads at once (Pillow releases the GIL while decoding and encoding). The only global
changes happen once, at import: registering the HEIF opener and tightening ``MAX_IMAGE_PIXELS``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import struct
from dataclasses import dataclass, field
from typing import IO, Any, Final

import pillow_heif
from PIL import ExifTags, Image, ImageCms

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS: Final = 40_000_000
DEFAULT_MAX_SIDE: Final = 2048
DEFAULT_THUMB_SIDE: Final = 320

JPEG_QUALITY: Final = 85
THUMBNAIL_JPEG_QUALITY: Final = 80
WEBP_QUALITY: Final = 85
PNG_COMPRESS_LEVEL: Final = 6

#: A reduced decode (JPEG DCT scaling) or integer box reduction is used when it keeps the long side
#: at least this fraction of ``max_side`` (1920 px of 2048); see step 4 of the module docstring.
MIN_REDUCED_SIDE_FRACTION: Final = 15 / 16

#: More start-of-scan markers than this in a JPEG is refused as corrupt (see _open_header).
MAX_JPEG_SCANS: Final = 500

#: Largest ICC profile kept in a stored photo (Display P3 is ~0.5 KiB; real ones are a few KiB).
MAX_ICC_PROFILE_BYTES: Final = 64 * 1024

ACCEPTED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "HEIF")

# HEIF brands whose image payload is HEVC, i.e. what pillow_heif decodes. "mif1"/"msf1" alone say
# only "some HEIF" (AVIF files carry them too), so they need one of these beside them.
_HEIC_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})

_CONTENT_TYPES: Final = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXTENSIONS: Final = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_ORIENTATION_TRANSPOSE: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_SIXTEEN_BIT_MODES: Final = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})


# --- the two global changes, both done once at import --------------------------------------------

pillow_heif.register_heif_opener()

if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > DEFAULT_MAX_PIXELS:
    # Pillow's own decompression-bomb check, as a backstop to the explicit check in process_photo:
    # it warns above this and raises DecompressionBombError above twice this, inside Image.open.
    Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS


# --- public API ------------------------------------------------------------------------------------


class PhotoRejected(Exception):
    """A photo the city will not store, with a stable ``code`` and messages for the citizen."""

    def __init__(self, code: str, message_en: str, message_vi: str, params: dict[str, Any] | None = None):
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_vi = message_vi
        self.params: dict[str, Any] = dict(params or {})

    def message_for(self, language: str | None) -> str:
        """The message in the citizen's language: Vietnamese for ``vi``/``vi-VN``, else English."""
        if language and language.strip().lower().replace("_", "-").split("-")[0] == "vi":
            return self.message_vi
        return self.message_en

    def __repr__(self) -> str:
        return f"PhotoRejected(code={self.code!r}, params={self.params!r})"


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """A photo ready to store: clean bytes, a thumbnail, and what the service needs to know about it."""

    content: bytes = field(repr=False)
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes = field(repr=False)
    thumbnail_width: int
    thumbnail_height: int
    original_format: str
    gps: tuple[float, float] | None = field(repr=False)
    sha256: str


def process_photo(
    data: bytes | bytearray | memoryview | IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = DEFAULT_MAX_SIDE,
    thumb_side: int = DEFAULT_THUMB_SIDE,
) -> ProcessedPhoto:
    """Check, decode, orient, strip, shrink and re-encode one uploaded photo.

    ``data`` is the upload's bytes or a binary file object (read from its current position, e.g. a
    Django ``UploadedFile``). Raises :class:`PhotoRejected` for anything the city will not store.
    """
    raw = _read_limited(data, max_bytes)
    if not raw:
        raise _empty()
    source_format = _sniff_format(raw)
    if source_format is None:
        raise _unsupported(raw)

    img = _open_header(raw, source_format, max_pixels)
    try:
        return _process_opened(
            img, source_format, max_pixels=max_pixels, max_side=max_side, thumb_side=thumb_side
        )
    finally:
        img.close()


# --- steps -----------------------------------------------------------------------------------------


def _read_limited(data: bytes | bytearray | memoryview | IO[bytes], max_bytes: int) -> bytes:
    """The upload's bytes, refusing (without reading further) anything over ``max_bytes``."""
    if isinstance(data, bytes | bytearray | memoryview):
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        return bytes(data)
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = data.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    if remaining <= 0:
        raise _too_large(max_bytes)
    return b"".join(chunks)


def _sniff_format(raw: bytes) -> str | None:
    """The real format from the magic bytes, or None when it is not one we accept."""
    if raw.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "WEBP"
    if _heif_brands(raw) & _HEIC_BRANDS:
        return "HEIF"
    return None


def _heif_brands(raw: bytes) -> set[bytes]:
    """Major and compatible brands of an ISO-BMFF ``ftyp`` box at the start of the file."""
    if len(raw) < 16 or raw[4:8] != b"ftyp":
        return set()
    box_size = min(struct.unpack(">I", raw[:4])[0], len(raw), 4096)
    brands = {raw[8:12]}
    brands.update(raw[offset : offset + 4] for offset in range(16, box_size - 3, 4))
    return brands


def _detected_name(raw: bytes) -> str | None:
    """A name for a refused format, for logs and the error's params (never used to accept)."""
    head = raw[:64]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"BM"):
        return "BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"%PDF"):
        return "PDF"
    if _heif_brands(raw) & _AVIF_BRANDS:
        return "AVIF"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "XML/HTML"
    return None


def _claimed_size(raw: bytes, source_format: str) -> tuple[int, int] | None:
    """The dimensions the file's first header claims, read without Pillow (None if not found).

    Only used to refuse early: a header claiming 144 MP is refused as too many pixels even when the
    rest of the file is missing, which Pillow would otherwise report as an unreadable file. HEIF is
    left to pillow_heif, whose header parsing is lazy too.
    """
    try:
        if source_format == "PNG" and raw[12:16] == b"IHDR":
            width, height = struct.unpack(">II", raw[16:24])
            return width, height
        if source_format == "WEBP":
            return _webp_claimed_size(raw)
        if source_format == "JPEG":
            return _jpeg_claimed_size(raw)
    except struct.error:
        return None
    return None


def _webp_claimed_size(raw: bytes) -> tuple[int, int] | None:
    chunk = raw[12:16]
    if chunk == b"VP8X":  # extended format: 24-bit canvas width-1, height-1
        return int.from_bytes(raw[24:27], "little") + 1, int.from_bytes(raw[27:30], "little") + 1
    if chunk == b"VP8L" and raw[20:21] == b"\x2f":  # lossless: 14-bit width-1, height-1
        bits = int.from_bytes(raw[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and raw[23:26] == b"\x9d\x01\x2a":  # lossy key frame: 14-bit width, height
        width, height = struct.unpack("<HH", raw[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


# Start-of-frame markers (baseline, extended, progressive, lossless...; not DHT/JPG/DAC).
_JPEG_SOF_MARKERS: Final = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _jpeg_claimed_size(raw: bytes) -> tuple[int, int] | None:
    """Walk the JPEG marker segments up to the first start-of-frame (or the scan) for its size."""
    pos = 2
    while pos + 4 <= len(raw):
        if raw[pos] != 0xFF:
            return None
        marker = raw[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # stand-alone markers have no length
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan: no frame header before it
            return None
        if marker in _JPEG_SOF_MARKERS:
            height, width = struct.unpack(">HH", raw[pos + 5 : pos + 9])
            return width, height
        pos += 2 + struct.unpack(">H", raw[pos + 2 : pos + 4])[0]
    return None


def _open_header(raw: bytes, source_format: str, max_pixels: int) -> Image.Image:
    """Parse the header only (Image.open is lazy) and refuse too many pixels before any decoding."""
    claimed = _claimed_size(raw, source_format)
    if claimed is not None and claimed[0] * claimed[1] > max_pixels:
        raise _too_many_pixels(max_pixels, claimed)
    # A progressive JPEG with thousands of tiny scans makes libjpeg re-walk every coefficient per scan
    # (a CPU bomb that stays under any byte or pixel limit). Cameras write at most a dozen scans; 0xFFDA
    # cannot occur inside entropy-coded data (0xFF is always stuffed there), so counting it is exact
    # enough to tell a real photo from a scan bomb.
    if source_format == "JPEG" and raw.count(b"\xff\xda") > MAX_JPEG_SCANS:
        logger.info("photo refused: JPEG with more than %d scans", MAX_JPEG_SCANS)
        raise _corrupt()
    try:
        img = Image.open(io.BytesIO(raw), formats=[source_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(max_pixels, None) from exc
    except Exception as exc:  # the parser boundary: any failure on untrusted bytes is a corrupt file
        logger.info("photo header unreadable (%s): %r", source_format, exc)
        raise _corrupt() from exc
    if img.width * img.height > max_pixels:
        img.close()
        raise _too_many_pixels(max_pixels, img.size)
    return img


def _process_opened(
    img: Image.Image, source_format: str, *, max_pixels: int, max_side: int, thumb_side: int
) -> ProcessedPhoto:
    reduce_factor = _reduction_factor(img.size, max_side)
    # draft() picks the largest scale whose result is >= the requested size on both axes; asking for
    # exactly size // factor makes it pick exactly `factor`. If the decoder cannot scale (draft
    # returns None), the box reduction after decoding does the same job, only slower.
    if (
        reduce_factor > 1
        and source_format == "JPEG"
        and img.draft("RGB", (img.width // reduce_factor, img.height // reduce_factor)) is not None
    ):
        reduce_factor = 1
    try:
        img.load()
        exif = img.getexif()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(max_pixels, img.size) from exc
    except Exception as exc:  # the decoder boundary: truncated, damaged, unsupported variant
        logger.info("photo undecodable (%s): %r", source_format, exc)
        raise _corrupt() from exc

    gps = _gps_from_exif(exif)
    orientation = _orientation(exif)
    icc_profile = _icc_profile_to_keep(img.info.get("icc_profile"))

    picture = _to_rgb_or_rgba(img)
    if reduce_factor > 1:
        picture = picture.reduce(reduce_factor)
    target = _fit(picture.size, max_side)
    if target != picture.size:
        picture = picture.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if orientation in _ORIENTATION_TRANSPOSE:
        picture = picture.transpose(_ORIENTATION_TRANSPOSE[orientation])

    stored_format = _stored_format(picture.mode, source_format)
    thumb = picture.resize(_fit(picture.size, thumb_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    content = _encode(picture, stored_format, icc_profile, thumbnail=False)
    thumbnail = _encode(thumb, stored_format, icc_profile, thumbnail=True)
    return ProcessedPhoto(
        content=content,
        content_type=_CONTENT_TYPES[stored_format],
        extension=_EXTENSIONS[stored_format],
        width=picture.width,
        height=picture.height,
        thumbnail=thumbnail,
        thumbnail_width=thumb.width,
        thumbnail_height=thumb.height,
        original_format=source_format,
        gps=gps,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _reduction_factor(size: tuple[int, int], max_side: int) -> int:
    """The largest of 8, 4, 2 that keeps the long side >= 15/16 of max_side (1 when none does)."""
    long_side, short_side = max(size), min(size)
    if long_side <= max_side:
        return 1
    min_long_side = math.ceil(max_side * MIN_REDUCED_SIDE_FRACTION)
    for factor in (8, 4, 2):
        if -(-long_side // factor) >= min_long_side and short_side // factor >= 1:
            return factor
    return 1


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled down so its long side is at most ``side``, aspect ratio kept."""
    width, height = size
    if max(width, height) <= side:
        return size
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb_or_rgba(img: Image.Image) -> Image.Image:
    """8-bit RGB, or RGBA when the picture has at least one pixel that is not fully opaque."""
    if img.mode in _SIXTEEN_BIT_MODES:
        # Pillow's 16-bit -> 8-bit conversion clips (65535 -> 255 white); scale instead.
        img = img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if img.has_transparency_data:
        rgba = img if img.mode == "RGBA" else img.convert("RGBA")
        alpha_min, _ = rgba.getchannel("A").getextrema()  # one band: (min, max) of ints
        if isinstance(alpha_min, int | float) and alpha_min < 255:
            return rgba
        return rgba.convert("RGB")
    return img if img.mode == "RGB" else img.convert("RGB")


def _stored_format(mode: str, source_format: str) -> str:
    if mode != "RGBA":
        return "JPEG"
    return "WEBP" if source_format == "WEBP" else "PNG"


def _encode(img: Image.Image, stored_format: str, icc_profile: bytes | None, *, thumbnail: bool) -> bytes:
    # Resize/transpose/convert copy `info` from the source image (EXIF, XMP, comments, text chunks,
    # ICC...) and some encoders fall back to it: clear it so only what is passed below is written.
    img.info = {}
    options: dict[str, Any] = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if stored_format == "JPEG":
        options["quality"] = THUMBNAIL_JPEG_QUALITY if thumbnail else JPEG_QUALITY
    elif stored_format == "WEBP":
        options["quality"] = WEBP_QUALITY
    else:
        options["compress_level"] = PNG_COMPRESS_LEVEL
    out = io.BytesIO()
    img.save(out, stored_format, **options)
    return out.getvalue()


# --- metadata we read before stripping -------------------------------------------------------------


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(ExifTags.Base.Orientation)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _gps_from_exif(exif: Image.Exif) -> tuple[float, float] | None:
    """EXIF GPS as (latitude, longitude) in decimal degrees, or None when absent or implausible."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        if not gps:
            return None
        latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S")
        longitude = _degrees(
            gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W"
        )
    except Exception as exc:  # malformed metadata is no reason to refuse a photo
        logger.info("unreadable EXIF GPS ignored: %r", exc)
        return None
    if latitude is None or longitude is None:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
        return None
    return round(latitude, 7), round(longitude, 7)


def _degrees(value: Any, ref: Any, positive: str, negative: str) -> float | None:
    """Degrees/minutes/seconds rationals plus an N/S or E/W reference -> signed decimal degrees."""
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if not isinstance(ref, str):
        return None
    ref = ref.strip("\x00 ").upper()
    if ref not in (positive, negative):
        return None  # without the hemisphere the hint could be on the wrong side of the planet
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    numbers = [float(part) for part in parts]
    if not all(math.isfinite(number) and number >= 0 for number in numbers):
        return None
    degrees = math.fsum(number / 60.0**index for index, number in enumerate(numbers))
    return -degrees if ref == negative else degrees


def _icc_profile_to_keep(icc: Any) -> bytes | None:
    """The source's ICC profile if it is a valid, non-sRGB RGB profile worth keeping, else None."""
    if not isinstance(icc, bytes) or not icc or len(icc) > MAX_ICC_PROFILE_BYTES:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != "RGB":
            return None
        description = ImageCms.getProfileDescription(profile)
    except Exception:  # unparsable profile: drop it, the picture is still fine
        return None
    if "srgb" in description.lower():
        return None
    return icc


# --- refusals --------------------------------------------------------------------------------------


def _empty() -> PhotoRejected:
    return PhotoRejected("photo_empty", "The photo file is empty.", "Tệp ảnh trống, không có dữ liệu.")


def _too_large(max_bytes: int) -> PhotoRejected:
    max_mb = round(max_bytes / (1024 * 1024), 1)
    max_mb_text = f"{max_mb:g}"
    return PhotoRejected(
        "photo_too_large",
        f"The photo is too large: at most {max_mb_text} MB per photo.",
        f"Ảnh quá lớn: mỗi ảnh tối đa {max_mb_text} MB.",
        {"max_bytes": max_bytes, "max_mb": max_mb},
    )


def _unsupported(raw: bytes) -> PhotoRejected:
    return PhotoRejected(
        "photo_unsupported_format",
        "This file is not a supported photo. Please send a JPEG, PNG, WebP or HEIC photo.",
        "Tệp này không phải là ảnh được hỗ trợ. Vui lòng gửi ảnh JPEG, PNG, WebP hoặc HEIC.",
        {"accepted": ["JPEG", "PNG", "WebP", "HEIC"], "detected": _detected_name(raw)},
    )


def _corrupt() -> PhotoRejected:
    return PhotoRejected(
        "photo_corrupt",
        "The photo is damaged or was not uploaded completely. Please take or send it again.",
        "Ảnh bị hỏng hoặc chưa được tải lên đầy đủ. Vui lòng chụp hoặc gửi lại ảnh.",
    )


def _too_many_pixels(max_pixels: int, size: tuple[int, int] | None) -> PhotoRejected:
    max_megapixels = round(max_pixels / 1_000_000, 1)
    max_mp_text = f"{max_megapixels:g}"
    params: dict[str, Any] = {"max_pixels": max_pixels, "max_megapixels": max_megapixels}
    if size is not None:
        params.update(width=size[0], height=size[1], pixels=size[0] * size[1])
    return PhotoRejected(
        "photo_too_many_pixels",
        f"The photo's resolution is too high: at most {max_mp_text} megapixels.",
        f"Ảnh có độ phân giải quá lớn: tối đa {max_mp_text} megapixel.",
        params,
    )
