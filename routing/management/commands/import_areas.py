from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from shapely.geometry import mapping
from tqdm import tqdm

from routing.geo import WardIndex
from routing.models import Area


class Command(BaseCommand):
    help = "Import ward/commune polygons from a GeoJSON FeatureCollection (idempotent; repairs geometry)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--code-field", default=None, help="property holding a stable code (default: from name)")
        parser.add_argument("--name-field", default="name")
        parser.add_argument("--kind-field", default="type")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            index = WardIndex.from_geojson(path, code_field=options["code_field"], name_field=options["name_field"])
        except (ValueError, OSError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        import json

        features = {
            str(f.get("properties", {}).get(options["name_field"], "")).strip(): f.get("properties", {})
            for f in json.loads(path.read_text(encoding="utf-8"))["features"]
        }
        created = updated = 0
        with transaction.atomic():
            for ward in tqdm(index.wards, desc="wards", unit="ward", disable=options["verbosity"] < 1):
                props = features.get(ward.name, {})
                centre = ward.geometry.representative_point()
                kind = Area.Kind.WARD if str(props.get(options["kind_field"], "")).startswith("Phường") else Area.Kind.COMMUNE
                defaults = {
                    "name": ward.name,
                    "kind": kind,
                    "centre_lat": round(centre.y, 6),
                    "centre_lon": round(centre.x, 6),
                    "geometry": mapping(ward.geometry),
                }
                if props.get("population") is not None:
                    defaults["population"] = int(props["population"])
                if props.get("area") is not None:
                    defaults["area_km2"] = float(props["area"])
                existing = Area.objects.filter(code=ward.code).first() or Area.objects.filter(name=ward.name).first()
                if existing is None:
                    Area.objects.create(code=ward.code, **defaults)
                    created += 1
                else:
                    for key, value in defaults.items():
                        setattr(existing, key, value)
                    existing.save()
                    updated += 1
        report = index.load_report
        self.stdout.write(
            f"{path.name}: {report.features} features, {created} created, {updated} updated, "
            f"{report.repaired} repaired, {report.invalid} invalid, {report.skipped} skipped"
        )
        for problem in report.problems:
            self.stdout.write(f"  {problem}")
