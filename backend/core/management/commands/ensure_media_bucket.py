"""One-shot job of the production shape: create the media bucket if it does not exist (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create the S3 bucket of the media storage when it is missing (does nothing for local media)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the storage to answer")

    def handle(self, *args: Any, **options: Any) -> None:
        from botocore.exceptions import ClientError, EndpointConnectionError

        bucket = getattr(default_storage, "bucket_name", None)
        if not bucket:
            self.stdout.write("media are stored on the local filesystem: no bucket to create")
            return
        client = default_storage.connection.meta.client  # type: ignore[attr-defined]
        deadline = time.monotonic() + options["wait"]
        while True:
            try:
                client.head_bucket(Bucket=bucket)
                self.stdout.write(f"bucket {bucket} exists")
                return
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket", "NotFound"}:
                    raise CommandError(f"bucket {bucket}: {error}") from None
                client.create_bucket(Bucket=bucket)
                self.stdout.write(f"bucket {bucket} created")
                return
            except EndpointConnectionError:
                if time.monotonic() > deadline:
                    raise CommandError("object storage does not answer") from None
                time.sleep(1.0)
