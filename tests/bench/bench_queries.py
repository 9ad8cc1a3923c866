"""Database queries per report create, and which ones (in process, through the real API view).

Run:
    .venv/bin/python tests/bench/bench_queries.py                # embedded default (SQLite)
    .venv/bin/python tests/bench/bench_queries.py --postgres     # PostgreSQL (throwaway database)
        [--database-url postgres://hue:hue@127.0.0.1:5432/hue_prod_bench] [--show]

Prints the query count of a create with an Idempotency-Key, without one, and of a retry with the same
key (the answer comes from the stored key), the average over --repeat creates.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench._server import base_env, prepare, recreate_postgres_database  # noqa: E402

DEFAULT_PG = "postgres://hue:hue@127.0.0.1:5432/hue_prod_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show", action="store_true", help="print the statements of one create")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        extra = {"DATABASE_URL": args.database_url} if args.postgres else {}
        env = base_env(var, extra)
        if args.postgres:
            recreate_postgres_database(args.database_url)
        token = prepare(env)
        os.environ.clear()
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        fields = {"description": "Ổ gà lớn trên đường Lê Lợi gần trường Quốc Học", "latitude": "16.4637",
                  "longitude": "107.5909"}

        def create(key: str | None) -> tuple[int, list[str]]:
            headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
            with CaptureQueriesContext(connection) as queries:
                response = client.post("/api/v1/reports/", fields, format="multipart", **headers)
            assert response.status_code in (200, 201), response.content
            return response.status_code, [q["sql"] for q in queries.captured_queries]

        create(uuid.uuid4().hex)  # warm-up: model, caches
        print(f"{connection.vendor}: queries per create, mean of {args.repeat}")
        for label, make_key in (("with Idempotency-Key", lambda: uuid.uuid4().hex), ("without a key", lambda: None)):
            counts = [len(create(make_key())[1]) for _ in range(args.repeat)]
            print(f"  {label:<24} {sum(counts) / len(counts):5.1f}  (min {min(counts)}, max {max(counts)})")
        key = uuid.uuid4().hex
        create(key)
        status, retried = create(key)
        print(f"  {'retry with same key':<24} {len(retried):5d}  (status {status})")
        if args.show:
            _, statements = create(uuid.uuid4().hex)
            for sql, n in Counter(s.split(" WHERE ")[0][:110] for s in statements).items():
                print(f"    {n} x {sql}")


if __name__ == "__main__":
    main()
