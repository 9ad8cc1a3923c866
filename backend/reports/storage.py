"""Stored photo files: unguessable names through Django's storage API, removed if the DB write fails."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from backend.reports.photos import ProcessedPhoto

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPhoto:
    photo: ProcessedPhoto
    image_name: str
    thumbnail_name: str


def store_photo(photo: ProcessedPhoto, *, folder: str = "reports") -> StoredPhoto:
    # 128 random bits: a photo URL cannot be guessed from another one or from the report id.
    token = secrets.token_hex(16)
    prefix = f"{folder}/{timezone.now():%Y/%m}/{token}"
    image_name = default_storage.save(f"{prefix}{photo.extension}", ContentFile(photo.content))
    thumb_name = default_storage.save(f"{prefix}_thumb{photo.extension}", ContentFile(photo.thumbnail))
    return StoredPhoto(photo=photo, image_name=image_name, thumbnail_name=thumb_name)


def delete_stored(stored: list[StoredPhoto]) -> None:
    for item in stored:
        for name in (item.image_name, item.thumbnail_name):
            try:
                default_storage.delete(name)
            except Exception:  # best effort: an orphan file is better than a masked error
                logger.exception("could not delete orphan photo %s", name)
