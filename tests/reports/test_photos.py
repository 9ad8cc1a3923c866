"""The photo pipeline (backend/reports/photos.py): pure Pillow, no Django, real street photos.

Real photos come from ../shared/data/photos (or $SHARED_DATA_DIR/photos) and are only read from
there. Anything else a test needs (EXIF with GPS, 12 MP photos, HEIC, forged headers) is built in
memory from those photos.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image, ImageChops, ImageCms, ImageFile, ImageStat, JpegImagePlugin
from PIL.TiffImagePlugin import IFDRational

from backend.reports import photos
from backend.reports.photos import PhotoRejected, ProcessedPhoto, process_photo
from tests.conftest import PHOTOS_DIR

REAL_PHOTOS = sorted(PHOTOS_DIR.glob("*.jpg"))
if not REAL_PHOTOS:
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"real photos not found in {PHOTOS_DIR}")
    pytest.skip(f"real photos not found in {PHOTOS_DIR}", allow_module_level=True)

# The one real photo that is exactly 800x600 landscape: orientation results are easy to state.
LANDSCAPE = PHOTOS_DIR / "mdc_photo_mdc_cd2283_1516926551527_1516926555034.jpg"

JFIF_INFO_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
MIB = 1024 * 1024

# Huế citadel, as degrees/minutes/seconds: 16°28'11.28" N, 107°34'42.96" E = (16.4698, 107.5786).
HUE_LATITUDE_DMS = (IFDRational(16, 1), IFDRational(28, 1), IFDRational(1128, 100))
HUE_LONGITUDE_DMS = (IFDRational(107, 1), IFDRational(34, 1), IFDRational(4296, 100))


# --- helpers ---------------------------------------------------------------------------------------


def landscape() -> Image.Image:
    with Image.open(LANDSCAPE) as img:
        img.load()
        return img.copy()


def encode(img: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def reopen(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def gps_exif(
    *, latitude: Any = HUE_LATITUDE_DMS, longitude: Any = HUE_LONGITUDE_DMS, lat_ref: Any = "N", lon_ref: Any = "E",
    orientation: int | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Citizen Phone 12"  # Model
    gps = exif.get_ifd(0x8825)
    if lat_ref is not None:
        gps[1] = lat_ref
    gps[2] = latitude
    if lon_ref is not None:
        gps[3] = lon_ref
    gps[4] = longitude
    return exif


def rejection(data: Any, **options: Any) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as caught:
        process_photo(data, **options)
    return caught.value


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, *, with_data: bool = False) -> bytes:
    """A PNG signature and an IHDR (valid CRC) claiming width x height; optionally a tiny IDAT+IEND."""
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if with_data:
        data += png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b"")
    return data


def jpeg_markers(data: bytes) -> list[int]:
    """Marker codes of the JPEG segments from SOI up to and including SOS."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [0xD8], 2
    while True:
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]


def riff_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunks.append(kind)
        pos += 8 + size + (size & 1)
    return chunks


def assert_jpeg_without_metadata(data: bytes) -> None:
    img = reopen(data)
    assert img.format == "JPEG"
    assert dict(img.getexif()) == {}
    assert set(img.info) == JFIF_INFO_KEYS  # no exif, xmp, comment, icc_profile, photoshop, adobe...
    # SOI, APP0 (JFIF), quantisation and Huffman tables, frame and scan headers: nothing else.
    assert set(jpeg_markers(data)) == {0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA}
    for trace in (b"Exif", b"xmpmeta", b"ICC_PROFILE", b"PhoneMaker", b"Citizen Phone", b"secret comment"):
        assert trace not in data


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


@pytest.fixture
def draft_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Records the size each JPEG will be decoded at, every time draft() is used."""
    sizes: list[tuple[int, int]] = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self: JpegImagePlugin.JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> Any:
        result = original(self, mode, size)
        sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    return sizes


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every pixel decode (ImageFile.load) any Pillow plugin starts."""
    calls: list[str] = []
    original = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> Any:
        calls.append(str(self.format))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


@pytest.fixture(scope="module")
def big_source() -> Image.Image:
    """The 800x600 street photo upscaled to 4096x3072, from which the 12 MP test photos are cut."""
    return landscape().resize((4096, 3072), Image.Resampling.BICUBIC)


@pytest.fixture(scope="module")
def twelve_mp_jpeg(big_source: Image.Image) -> bytes:
    """A 12 MP phone photo: 4000x3000, quality 90."""
    return encode(big_source.resize((4000, 3000), Image.Resampling.BILINEAR), "JPEG", quality=90)


# --- real photos -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_PHOTOS, ids=[p.stem[-13:] for p in REAL_PHOTOS])
def test_every_real_photo_is_stored_as_jpeg_at_its_own_size(path: Path) -> None:
    # given a real street photo (at most 800 px, so no resizing is needed)
    with Image.open(path) as source:
        size = source.size
    # when it is processed
    result = process_photo(path.read_bytes())
    # then it is stored as a JPEG of the same size with a 320 px thumbnail
    assert (result.content_type, result.extension, result.original_format) == ("image/jpeg", ".jpg", "JPEG")
    assert (result.width, result.height) == size
    scale = 320 / max(size)
    assert (result.thumbnail_width, result.thumbnail_height) == (round(size[0] * scale), round(size[1] * scale))
    assert result.gps is None
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert reopen(result.content).size == size
    assert reopen(result.thumbnail).size == (result.thumbnail_width, result.thumbnail_height)


def test_real_landscape_photo_exact_result() -> None:
    # given the 800x600 photo, read from an open file rather than bytes
    with LANDSCAPE.open("rb") as upload:
        # when it is processed
        result = process_photo(upload)
    # then
    assert isinstance(result, ProcessedPhoto)
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (800, 600, 320, 240)
    assert result.content_type == "image/jpeg"
    assert mean_difference(reopen(result.content), landscape()) < 3
    assert_jpeg_without_metadata(result.content)
    assert_jpeg_without_metadata(result.thumbnail)


# --- GPS, orientation, metadata --------------------------------------------------------------------


def test_gps_is_returned_orientation_applied_and_all_metadata_stripped() -> None:
    # given the 800x600 photo carrying EXIF (orientation 6, camera, GPS of Huế), XMP, a comment
    # and an sRGB ICC profile, as a phone would send it
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = encode(
        landscape(), "JPEG", quality=92, exif=gps_exif(orientation=6), comment=b"secret comment",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>', icc_profile=srgb,
    )
    assert reopen(upload).getexif().get_ifd(0x8825)  # the test photo really carries GPS
    # when it is processed
    result = process_photo(upload)
    # then the location hint is the decimal position of the citadel
    assert result.gps == pytest.approx((16.4698, 107.5786), abs=1e-6)
    # and the photo is upright: orientation 6 means "rotate 90 degrees clockwise to view"
    assert (result.width, result.height) == (600, 800)
    assert (result.thumbnail_width, result.thumbnail_height) == (240, 320)
    assert mean_difference(reopen(result.content), landscape().transpose(Image.Transpose.ROTATE_270)) < 3
    # and neither the stored photo nor its thumbnail carries any metadata
    assert_jpeg_without_metadata(result.content)
    assert_jpeg_without_metadata(result.thumbnail)


def test_southern_and_western_gps_is_negative() -> None:
    # given GPS references S and W
    upload = encode(landscape(), "JPEG", exif=gps_exif(lat_ref="S", lon_ref="W"))
    # when processed, then both coordinates are negative and the photo keeps its orientation
    result = process_photo(upload)
    assert result.gps == pytest.approx((-16.4698, -107.5786), abs=1e-6)
    assert (result.width, result.height) == (800, 600)


@pytest.mark.parametrize(
    "exif_options",
    [
        pytest.param({"lat_ref": None}, id="no-latitude-reference"),
        pytest.param({"lon_ref": "Q"}, id="unknown-longitude-reference"),
        pytest.param({"latitude": (IFDRational(16, 0), IFDRational(28, 1), IFDRational(0, 1))}, id="zero-denominator"),
        pytest.param({"latitude": (IFDRational(95, 1), IFDRational(0, 1), IFDRational(0, 1))}, id="latitude-95"),
        pytest.param(
            {"latitude": (IFDRational(0, 1),) * 3, "longitude": (IFDRational(0, 1),) * 3}, id="null-island-0-0"
        ),
    ],
)
def test_unusable_gps_is_ignored_and_the_photo_still_accepted(exif_options: dict[str, Any]) -> None:
    # given a photo whose GPS is broken or implausible
    upload = encode(landscape(), "JPEG", exif=gps_exif(**exif_options))
    # when processed, then there is no location hint, but the photo is stored without metadata
    result = process_photo(upload)
    assert result.gps is None
    assert (result.width, result.height) == (800, 600)
    assert_jpeg_without_metadata(result.content)


@pytest.mark.parametrize(
    ("orientation", "transpose", "size"),
    [
        (1, None, (800, 600)),
        (2, Image.Transpose.FLIP_LEFT_RIGHT, (800, 600)),
        (3, Image.Transpose.ROTATE_180, (800, 600)),
        (4, Image.Transpose.FLIP_TOP_BOTTOM, (800, 600)),
        (5, Image.Transpose.TRANSPOSE, (600, 800)),
        (6, Image.Transpose.ROTATE_270, (600, 800)),
        (7, Image.Transpose.TRANSVERSE, (600, 800)),
        (8, Image.Transpose.ROTATE_90, (600, 800)),
    ],
)
def test_every_exif_orientation_is_applied(
    orientation: int, transpose: Image.Transpose | None, size: tuple[int, int]
) -> None:
    # given the photo tagged with an EXIF orientation
    exif = Image.Exif()
    exif[0x0112] = orientation
    upload = encode(landscape(), "JPEG", quality=92, exif=exif)
    # when processed, then the stored pixels are the upright picture
    result = process_photo(upload)
    expected = landscape() if transpose is None else landscape().transpose(transpose)
    assert (result.width, result.height) == size
    assert mean_difference(reopen(result.content), expected) < 3


# --- big photos: reduced decoding and resizing -----------------------------------------------------


def test_12_mp_jpeg_is_decoded_at_half_scale_and_stored_at_2000_px(
    twelve_mp_jpeg: bytes, draft_sizes: list[tuple[int, int]]
) -> None:
    # given a 4000x3000 phone photo
    # when processed
    result = process_photo(twelve_mp_jpeg)
    # then libjpeg decoded it straight at 1/2 scale (no full 12 MP decode, no resampling pass) and it is
    # stored at that size: 2000 px is within the 15/16 band under the 2048 px limit (documented choice)
    assert draft_sizes == [(2000, 1500)]
    assert (result.width, result.height) == (2000, 1500)
    assert (result.thumbnail_width, result.thumbnail_height) == (320, 240)
    assert reopen(result.content).size == (2000, 1500)
    assert reopen(result.thumbnail).size == (320, 240)
    assert_jpeg_without_metadata(result.content)


def test_12_6_mp_jpeg_is_stored_at_exactly_2048_px(big_source: Image.Image, draft_sizes: list[tuple[int, int]]) -> None:
    # given a 4096x3072 photo (12.6 MP): half scale is exactly the 2048 px limit
    upload = encode(big_source, "JPEG", quality=90)
    # when processed, then it is decoded at half scale and stored at 2048x1536
    result = process_photo(upload)
    assert draft_sizes == [(2048, 1536)]
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (2048, 1536, 320, 240)


def test_photo_that_cannot_be_halved_is_decoded_fully_and_resized_to_2048(
    big_source: Image.Image, draft_sizes: list[tuple[int, int]]
) -> None:
    # given a 3000x2250 photo: half scale (1500 px) would lose too much, so no reduced decode
    upload = encode(big_source.resize((3000, 2250), Image.Resampling.BILINEAR), "JPEG", quality=90)
    # when processed, then it is decoded at full size and resized to exactly 2048 px
    result = process_photo(upload)
    assert draft_sizes == []
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (2048, 1536, 320, 240)


def test_rotated_12_mp_jpeg_is_reduced_in_stored_orientation_then_turned_upright(
    big_source: Image.Image, draft_sizes: list[tuple[int, int]]
) -> None:
    # given a 4000x3000 photo with EXIF orientation 6 (a phone held upright)
    exif = Image.Exif()
    exif[0x0112] = 6
    landscape_pixels = big_source.resize((4000, 3000), Image.Resampling.BILINEAR)
    upload = encode(landscape_pixels, "JPEG", quality=90, exif=exif)
    # when processed
    result = process_photo(upload)
    # then the half-scale decode was asked for in the file's own (landscape) orientation,
    # and the stored photo is portrait
    assert draft_sizes == [(2000, 1500)]
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (1500, 2000, 240, 320)
    expected = landscape_pixels.resize((2000, 1500)).transpose(Image.Transpose.ROTATE_270)
    assert mean_difference(reopen(result.content), expected) < 4


def test_12_mp_png_is_box_reduced_to_2000_px(big_source: Image.Image) -> None:
    # given a 4000x3000 PNG (no DCT scaling for PNG: an integer box reduction does the same job)
    upload = encode(big_source.resize((4000, 3000), Image.Resampling.BILINEAR), "PNG", compress_level=1)
    # when processed, then it is stored as a 2000x1500 JPEG
    result = process_photo(upload)
    assert (result.original_format, result.content_type) == ("PNG", "image/jpeg")
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (2000, 1500, 320, 240)


def test_smaller_max_side_and_thumb_side_are_honoured() -> None:
    # given the 800x600 photo and a 500 px limit with a 100 px thumbnail
    # when processed, then
    result = process_photo(LANDSCAPE.read_bytes(), max_side=500, thumb_side=100)
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (500, 375, 100, 75)


# --- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        pytest.param(b"this is not a jpeg at all, just text named street.jpg\n" * 20, None, id="text-named-jpg"),
        pytest.param(random.Random(7).randbytes(50_000), None, id="random-bytes"),
        pytest.param(b"<html><body><script>alert(1)</script></body></html>", "XML/HTML", id="html"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF", id="pdf"),
        pytest.param(b"BM" + b"\x00" * 100, "BMP", id="bmp"),
    ],
)
def test_files_that_are_not_accepted_photos_are_refused_as_unsupported(data: bytes, detected: str | None) -> None:
    # given bytes that are not JPEG/PNG/WebP/HEIC whatever the upload's name says
    # when processed, then they are refused as unsupported, naming what was detected
    error = rejection(data)
    assert error.code == "photo_unsupported_format"
    assert error.params == {"accepted": ["JPEG", "PNG", "WebP", "HEIC"], "detected": detected}


def test_html_in_gif_polyglot_is_refused_as_unsupported(decodes: list[str]) -> None:
    # given a valid GIF header followed by HTML with a script
    polyglot = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    polyglot += b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;<html><script>alert(document.cookie)</script>"
    # when processed, then it is refused before any decoder sees it
    error = rejection(polyglot)
    assert (error.code, error.params["detected"]) == ("photo_unsupported_format", "GIF")
    assert decodes == []


def test_a_real_gif_is_refused_as_unsupported() -> None:
    # given a genuine GIF made from a real photo
    # when processed, then it is refused: GIF is not an accepted photo format
    error = rejection(encode(landscape().convert("P"), "GIF"))
    assert (error.code, error.params["detected"]) == ("photo_unsupported_format", "GIF")


def test_avif_is_refused_as_unsupported() -> None:
    # given the start of an AVIF file (HEIF container, AV1 payload, which pillow_heif does not decode)
    avif = struct.pack(">I", 28) + b"ftypavif" + b"\x00\x00\x00\x00" + b"avifmif1miaf" + b"\x00" * 100
    # when processed, then
    error = rejection(avif)
    assert (error.code, error.params["detected"]) == ("photo_unsupported_format", "AVIF")


def test_truncated_real_jpeg_is_refused_as_corrupt() -> None:
    # given a real photo cut in half, as a dropped upload would leave it
    data = LANDSCAPE.read_bytes()
    # when processed, then it is refused: truncated files are never half-decoded
    assert rejection(data[: len(data) // 2]).code == "photo_corrupt"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_truncated_png_and_webp_are_refused_as_corrupt(fmt: str) -> None:
    # given a real photo as PNG / WebP, cut in half
    data = encode(landscape(), fmt)
    # when processed, then
    assert rejection(data[: len(data) // 2]).code == "photo_corrupt"


def test_jpeg_magic_followed_by_garbage_is_refused_as_corrupt() -> None:
    # given JPEG magic bytes followed by text
    # when processed, then it is a damaged JPEG, not an unsupported format
    assert rejection(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 50).code == "photo_corrupt"


def test_jpeg_with_hundreds_of_scans_is_refused_before_decoding(decodes: list[str]) -> None:
    # given a real photo followed by 500 more tiny scans (a progressive-JPEG CPU bomb stays small)
    data = LANDSCAPE.read_bytes()
    sos = data.index(b"\xff\xda")
    tiny_scan = data[sos : sos + 2 + struct.unpack(">H", data[sos + 2 : sos + 4])[0]] + b"\x00" * 4
    bomb = data[:-2] + tiny_scan * 500 + b"\xff\xd9"
    assert len(bomb) < 200_000
    # when processed, then it is refused as corrupt and never decoded
    assert rejection(bomb).code == "photo_corrupt"
    assert decodes == []


def test_progressive_jpeg_is_accepted() -> None:
    # given the photo as a progressive JPEG (about ten scans, as phones and web tools write)
    upload = encode(landscape(), "JPEG", progressive=True, quality=90)
    assert 5 <= upload.count(b"\xff\xda") <= 20
    # when processed, then
    result = process_photo(upload)
    assert (result.width, result.height) == (800, 600)
    assert_jpeg_without_metadata(result.content)


def test_png_claiming_144_megapixels_is_refused_before_anything_is_decoded(decodes: list[str]) -> None:
    # given a PNG signature and an IHDR (valid CRC) claiming 12000x12000 and no pixel data at all
    # when processed
    error = rejection(png_claiming(12_000, 12_000))
    # then it is refused for its size, and no decoder ever ran (nothing was allocated for pixels)
    assert error.code == "photo_too_many_pixels"
    assert error.params == {
        "max_pixels": 40_000_000, "max_megapixels": 40.0, "width": 12_000, "height": 12_000, "pixels": 144_000_000,
    }
    assert decodes == []


def test_jpeg_and_webp_headers_claiming_too_many_pixels_are_refused(decodes: list[str]) -> None:
    # given a JPEG whose frame header claims 10000x5000 and a WebP whose canvas claims 16000x16000
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 5000, 10000, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    jpeg = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (15_999).to_bytes(3, "little") * 2
    webp = b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x
    # when processed, then both are refused for their size before decoding
    assert rejection(jpeg).params["pixels"] == 50_000_000
    assert rejection(webp).params["pixels"] == 256_000_000
    assert decodes == []


def test_pillow_bomb_check_backs_up_a_larger_max_pixels() -> None:
    # given a caller allowing 100 MP, and a PNG of 9000x9000 (81 MP): over twice Pillow's limit,
    # which this module lowered to 40 MP
    assert Image.MAX_IMAGE_PIXELS == 40_000_000
    # when processed, then Pillow's DecompressionBombError becomes photo_too_many_pixels
    error = rejection(png_claiming(9000, 9000, with_data=True), max_pixels=100_000_000)
    assert error.code == "photo_too_many_pixels"
    assert error.params == {"max_pixels": 100_000_000, "max_megapixels": 100.0}


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillow_bomb_warning_escalated_to_error_becomes_too_many_pixels() -> None:
    # given warnings escalated to errors, a caller allowing 60 MP, and a 7000x7000 (49 MP) PNG
    # when processed, then Pillow's DecompressionBombWarning becomes photo_too_many_pixels
    error = rejection(png_claiming(7000, 7000, with_data=True), max_pixels=60_000_000)
    assert error.code == "photo_too_many_pixels"


def test_max_pixels_boundary_on_a_real_photo() -> None:
    # given the 800x600 photo (480,000 pixels)
    data = LANDSCAPE.read_bytes()
    # when the limit is exactly its size, then it is accepted
    assert process_photo(data, max_pixels=480_000).width == 800
    # when the limit is one pixel less, then it is refused with its size
    error = rejection(data, max_pixels=479_999)
    assert error.code == "photo_too_many_pixels"
    assert error.params == {
        "max_pixels": 479_999, "max_megapixels": 0.5, "width": 800, "height": 600, "pixels": 480_000,
    }


def test_file_over_10_mb_is_refused_without_reading_the_rest() -> None:
    # given a 30 MB upload stream that starts like a JPEG
    upload = io.BytesIO(b"\xff\xd8\xff\xe0" + b"\x00" * (30 * MIB))
    # when processed
    error = rejection(upload)
    # then it is refused for its size after reading only 10 MB + 1 byte
    assert error.code == "photo_too_large"
    assert error.params == {"max_bytes": 10 * MIB, "max_mb": 10.0}
    assert upload.tell() == 10 * MIB + 1


def test_bytes_over_10_mb_are_refused() -> None:
    # given 10 MB + 1 byte, then refused; the limit is about bytes, not the format
    assert rejection(b"\x89PNG\r\n\x1a\n" + b"\x00" * (10 * MIB - 7)).code == "photo_too_large"


def test_max_bytes_boundary_on_a_real_photo() -> None:
    # given a real photo of n bytes
    data = LANDSCAPE.read_bytes()
    # when the limit is n, then it is accepted (from bytes and from a stream)
    assert process_photo(data, max_bytes=len(data)).width == 800
    assert process_photo(io.BytesIO(data), max_bytes=len(data)).width == 800
    # when the limit is n - 1, then it is refused
    assert rejection(data, max_bytes=len(data) - 1).code == "photo_too_large"
    assert rejection(io.BytesIO(data), max_bytes=len(data) - 1).code == "photo_too_large"


class TrickleStream(io.RawIOBase):
    """A stream that returns at most 1000 bytes per read, like a slow socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(size, 1000) if size >= 0 else 1000)


def test_short_reads_are_collected_until_the_end() -> None:
    # given a stream that hands out the photo 1000 bytes at a time
    # when processed, then the whole photo is read
    assert process_photo(TrickleStream(LANDSCAPE.read_bytes())).width == 800


@pytest.mark.parametrize("data", [b"", io.BytesIO(b"")], ids=["bytes", "stream"])
def test_empty_upload_is_refused_as_empty(data: Any) -> None:
    assert rejection(data).code == "photo_empty"


# --- other accepted formats ------------------------------------------------------------------------


def test_real_png_with_jpg_name_is_accepted_as_png() -> None:
    # given a real photo saved as PNG and uploaded as "street.jpg" with content type image/jpeg
    # (process_photo is never told the name or content type: they are irrelevant)
    upload = encode(landscape(), "PNG")
    # when processed, then it is recognised as PNG and stored as an opaque JPEG photo
    result = process_photo(upload)
    assert (result.original_format, result.content_type, result.extension) == ("PNG", "image/jpeg", ".jpg")
    assert (result.width, result.height) == (800, 600)
    assert mean_difference(reopen(result.content), landscape()) < 3


@pytest.mark.parametrize("options", [{"quality": 85}, {"lossless": True}], ids=["lossy", "lossless"])
def test_webp_is_accepted(options: dict[str, Any]) -> None:
    # given a real photo as WebP carrying EXIF GPS
    upload = encode(landscape(), "WEBP", exif=gps_exif(), **options)
    # when processed, then it is stored as JPEG, GPS read and stripped
    result = process_photo(upload)
    assert (result.original_format, result.content_type, result.width, result.height) == (
        "WEBP", "image/jpeg", 800, 600,
    )
    assert result.gps == pytest.approx((16.4698, 107.5786), abs=1e-6)
    assert_jpeg_without_metadata(result.content)


def test_animated_webp_keeps_its_first_frame() -> None:
    # given an animated WebP: a red frame then a blue one
    red, blue = Image.new("RGB", (64, 48), (220, 20, 20)), Image.new("RGB", (64, 48), (20, 20, 220))
    upload = encode(red, "WEBP", save_all=True, append_images=[blue], duration=100, lossless=True)
    # when processed, then the stored photo is the red first frame
    result = process_photo(upload)
    assert (result.content_type, result.width, result.height) == ("image/jpeg", 64, 48)
    assert max(abs(a - b) for a, b in zip(reopen(result.content).getpixel((32, 24)), (220, 20, 20), strict=True)) <= 6


def test_animated_png_keeps_its_first_frame() -> None:
    # given an APNG: a green frame then a blue one
    green, blue = Image.new("RGB", (64, 48), (20, 200, 20)), Image.new("RGB", (64, 48), (20, 20, 220))
    upload = encode(green, "PNG", save_all=True, append_images=[blue], duration=100)
    # when processed, then the stored photo is the green first frame
    result = process_photo(upload)
    assert max(abs(a - b) for a, b in zip(reopen(result.content).getpixel((32, 24)), (20, 200, 20), strict=True)) <= 6


def test_mpo_multi_picture_jpeg_is_accepted_as_jpeg() -> None:
    # given an MPO (the multi-picture JPEG some phones write): the photo plus a second picture
    second = Image.new("RGB", (800, 600), (0, 0, 0))
    upload = encode(landscape(), "MPO", save_all=True, append_images=[second], quality=92)
    # when processed, then the first picture is stored as a plain JPEG
    result = process_photo(upload)
    assert (result.original_format, result.content_type, result.width, result.height) == ("JPEG", "image/jpeg", 800, 600)
    assert mean_difference(reopen(result.content), landscape()) < 3
    assert_jpeg_without_metadata(result.content)


# Skipped only on a developer's machine without the encoder; in CI (CI=true) a missing encoder fails.
@pytest.mark.skipif(
    not pillow_heif.libheif_info()["HEIF"] and os.environ.get("CI") != "true",
    reason="this pillow_heif build has no HEVC encoder",
)
def test_heic_is_accepted_oriented_and_its_gps_read() -> None:
    # given an iPhone-style HEIC of the photo, with EXIF GPS and orientation 6, which pillow_heif
    # (given EXIF as bytes) writes as the HEIF rotation the decoder applies, as iPhones do
    upload = encode(landscape(), "HEIF", quality=80, exif=gps_exif(orientation=6).tobytes())
    assert upload[4:12] == b"ftypheic"
    # when processed
    result = process_photo(upload)
    # then it is stored as an upright JPEG without metadata, and the GPS hint is kept
    assert (result.original_format, result.content_type, result.extension) == ("HEIF", "image/jpeg", ".jpg")
    assert (result.width, result.height, result.thumbnail_width, result.thumbnail_height) == (600, 800, 240, 320)
    assert result.gps == pytest.approx((16.4698, 107.5786), abs=1e-6)
    assert mean_difference(reopen(result.content), landscape().transpose(Image.Transpose.ROTATE_270)) < 6
    assert_jpeg_without_metadata(result.content)


# --- transparency and colour -----------------------------------------------------------------------


def half_transparent(img: Image.Image) -> Image.Image:
    """The photo with its right half fully transparent."""
    rgba = img.convert("RGBA")
    alpha = Image.new("L", rgba.size, 255)
    alpha.paste(0, (rgba.width // 2, 0, rgba.width, rgba.height))
    rgba.putalpha(alpha)
    return rgba


def test_png_with_transparency_is_stored_as_png_keeping_alpha() -> None:
    # given a PNG with real transparency, EXIF GPS and a text chunk
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "secret comment")
    upload = encode(half_transparent(landscape()), "PNG", exif=gps_exif(), pnginfo=text)
    # when processed
    result = process_photo(upload)
    # then it stays a PNG with its transparency (documented choice), without metadata
    assert (result.original_format, result.content_type, result.extension) == ("PNG", "image/png", ".png")
    stored = reopen(result.content)
    assert (stored.mode, stored.size) == ("RGBA", (800, 600))
    assert (stored.getpixel((100, 300))[3], stored.getpixel((700, 300))[3]) == (255, 0)
    assert stored.info == {}
    assert dict(stored.getexif()) == {}
    assert b"secret comment" not in result.content and b"eXIf" not in result.content
    assert result.gps == pytest.approx((16.4698, 107.5786), abs=1e-6)
    thumb = reopen(result.thumbnail)
    assert (thumb.format, thumb.mode, thumb.size, thumb.info) == ("PNG", "RGBA", (320, 240), {})


def test_webp_with_transparency_is_stored_as_webp_keeping_alpha() -> None:
    # given a WebP with real transparency and EXIF
    upload = encode(half_transparent(landscape()), "WEBP", quality=85, exif=gps_exif())
    # when processed, then it stays a WebP with alpha and no EXIF/XMP/ICC chunk
    result = process_photo(upload)
    assert (result.content_type, result.extension, result.width, result.height) == ("image/webp", ".webp", 800, 600)
    stored = reopen(result.content)
    assert (stored.mode, stored.getpixel((100, 300))[3], stored.getpixel((700, 300))[3]) == ("RGBA", 255, 0)
    assert set(riff_chunks(result.content)) <= {b"VP8X", b"ALPH", b"VP8 ", b"VP8L"}
    assert set(riff_chunks(result.thumbnail)) <= {b"VP8X", b"ALPH", b"VP8 ", b"VP8L"}


def test_png_with_fully_opaque_alpha_becomes_a_jpeg() -> None:
    # given an RGBA PNG whose alpha is 255 everywhere
    # when processed, then the useless alpha channel is dropped and it is stored as JPEG
    result = process_photo(encode(landscape().convert("RGBA"), "PNG"))
    assert (result.content_type, reopen(result.content).mode) == ("image/jpeg", "RGB")


def test_palette_png_with_transparent_colour_keeps_transparency() -> None:
    # given a palette PNG whose colour 0 is transparent
    img = Image.new("P", (40, 30), 0)
    img.putpalette([0, 0, 0, 250, 200, 10] + [0] * 762)
    img.paste(1, (0, 0, 20, 30))
    upload = encode(img, "PNG", transparency=0)
    # when processed, then it is an RGBA PNG: left half opaque yellow, right half transparent
    stored = reopen(process_photo(upload).content)
    assert (stored.mode, stored.getpixel((5, 5)), stored.getpixel((35, 5))[3]) == ("RGBA", (250, 200, 10, 255), 0)


@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grayscale_and_cmyk_jpegs_become_rgb(mode: str) -> None:
    # given the photo as a grayscale or CMYK JPEG
    # when processed, then the stored JPEG is RGB of the same size
    stored = reopen(process_photo(encode(landscape().convert(mode), "JPEG", quality=92)).content)
    assert (stored.mode, stored.size) == ("RGB", (800, 600))


def test_16_bit_png_is_scaled_not_clipped_to_8_bit() -> None:
    # given a 16-bit grayscale PNG whose every pixel is 40000 of 65535
    upload = encode(Image.new("I;16", (64, 48), 40_000), "PNG")
    # when processed, then the pixels are 40000/256 = 156, not clipped to white
    stored = reopen(process_photo(upload).content)
    assert all(abs(channel - 156) <= 1 for channel in stored.getpixel((32, 24)))


def test_srgb_and_broken_icc_profiles_are_dropped() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc in (srgb, b"not an icc profile" * 10):
        # given a photo tagged with an sRGB / an unreadable ICC profile
        result = process_photo(encode(landscape(), "JPEG", icc_profile=icc))
        # when processed, then the stored photo has no profile (untagged means sRGB)
        assert "icc_profile" not in reopen(result.content).info


def test_a_wide_gamut_icc_profile_is_kept_so_colours_stay_right() -> None:
    # given a photo tagged with a valid RGB display profile that is not sRGB (stand-in for an
    # iPhone's Display P3: the sRGB profile renamed)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    wide = srgb.replace("sRGB built-in".encode("utf-16-be"), "Wide built-in".encode("utf-16-be"))
    assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(wide))).strip() == "Wide built-in"
    # when processed
    result = process_photo(encode(landscape(), "JPEG", icc_profile=wide, exif=gps_exif()))
    # then the profile is the only thing kept, in the photo and in its thumbnail
    for data in (result.content, result.thumbnail):
        stored = reopen(data)
        assert stored.info["icc_profile"] == wide
        assert set(stored.info) == JFIF_INFO_KEYS | {"icc_profile"}
        assert dict(stored.getexif()) == {}


# --- the error type, threads, module hygiene -------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "code", "message_en", "message_vi"),
    [
        (lambda: rejection(b""), "photo_empty", "The photo file is empty.", "Tệp ảnh trống, không có dữ liệu."),
        (
            lambda: rejection(b"x" * (5 * MIB + 1), max_bytes=5 * MIB),
            "photo_too_large",
            "The photo is too large: at most 5 MB per photo.",
            "Ảnh quá lớn: mỗi ảnh tối đa 5 MB.",
        ),
        (
            lambda: rejection(png_claiming(12_000, 12_000)),
            "photo_too_many_pixels",
            "The photo's resolution is too high: at most 40 megapixels.",
            "Ảnh có độ phân giải quá lớn: tối đa 40 megapixel.",
        ),
        (
            lambda: rejection(b"GIF89a<script>"),
            "photo_unsupported_format",
            "This file is not a supported photo. Please send a JPEG, PNG, WebP or HEIC photo.",
            "Tệp này không phải là ảnh được hỗ trợ. Vui lòng gửi ảnh JPEG, PNG, WebP hoặc HEIC.",
        ),
        (
            lambda: rejection(b"\xff\xd8\xff" + b"\x00" * 20),
            "photo_corrupt",
            "The photo is damaged or was not uploaded completely. Please take or send it again.",
            "Ảnh bị hỏng hoặc chưa được tải lên đầy đủ. Vui lòng chụp hoặc gửi lại ảnh.",
        ),
    ],
    ids=["empty", "too-large", "too-many-pixels", "unsupported", "corrupt"],
)
def test_every_refusal_has_a_stable_code_and_english_and_vietnamese_messages(
    make: Callable[[], PhotoRejected], code: str, message_en: str, message_vi: str
) -> None:
    error = make()
    assert (error.code, error.message_en, error.message_vi, str(error)) == (code, message_en, message_vi, message_en)
    assert error.message_for("vi-VN,vi;q=0.9") == message_vi
    assert error.message_for("vi") == message_vi
    assert error.message_for("en-US") == message_en
    assert error.message_for(None) == message_en


def test_ten_mb_limit_message() -> None:
    error = rejection(b"x" * (10 * MIB + 1))
    assert (error.message_en, error.message_vi) == (
        "The photo is too large: at most 10 MB per photo.", "Ảnh quá lớn: mỗi ảnh tối đa 10 MB.",
    )


def test_photos_processed_in_parallel_threads_match_serial_results(twelve_mp_jpeg: bytes) -> None:
    # given eight real photos and a 12 MP one, with GPS added to one
    uploads = [path.read_bytes() for path in REAL_PHOTOS[:8]] + [twelve_mp_jpeg]
    uploads.append(encode(landscape(), "JPEG", exif=gps_exif(orientation=6)))
    serial = [process_photo(data) for data in uploads]
    # when the same uploads are processed by four threads at once, twice over
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(process_photo, uploads + uploads))
    # then every result is identical to the serial one
    assert parallel == serial + serial


def test_module_imports_no_django_and_only_tightens_pillow_limit() -> None:
    # given a fresh interpreter that loads only the photos module file
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('photos', {str(Path(photos.__file__))!r})\n"
        "module = sys.modules['photos'] = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "from PIL import Image, ImageFile\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework'}}),"
        " Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, 'HEIF' in Image.OPEN)\n"
    )
    # when it runs, then no Django was imported, the Pillow limit is 40 MP, truncated loading is off
    # and the HEIF opener is registered
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["[]", "40000000", "False", "True"]


@pytest.fixture(autouse=True)
def _pillow_globals_unchanged() -> Iterator[None]:
    # every test: processing leaves Pillow's process-wide settings as the import set them
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    yield
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before == (40_000_000, False)
