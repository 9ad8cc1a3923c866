"""SQLite writers of one process queue on a Python lock, not in SQLite's sleeping busy handler."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from backend.core import db_locks

# The queue is SQLite's (one write lock per database file); each database runs its own half of this file.
SQLITE = connection.vendor == "sqlite"
sqlite_only = pytest.mark.skipif(not SQLITE, reason="SQLite's writer queue; PostgreSQL's case is tested below")


@pytest.mark.skipif(SQLITE, reason="PostgreSQL's case; the SQLite queue is tested above")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_writers_do_not_queue_in_python():
    # when a writer takes its turn on PostgreSQL (row locks and MVCC, no single write lock)
    with db_locks.writer_turn(), transaction.atomic():
        # then nothing in the process was locked
        assert not db_locks._sqlite_writers.locked()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_holds_the_turn_for_its_transaction_and_nested_ones_pass_through():
    # given no writer at work
    assert not db_locks._sqlite_writers.locked()
    # when a writer takes its turn and opens its transaction
    with db_locks.writer_turn(), transaction.atomic():
        # then the turn is held, and a nested turn inside the transaction does not wait for itself
        assert db_locks._sqlite_writers.locked()
        with db_locks.writer_turn():
            assert db_locks._sqlite_writers.locked()
    assert not db_locks._sqlite_writers.locked()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_second_writer_enters_only_after_the_first_leaves():
    order: list[str] = []
    first_inside = threading.Event()
    release_first = threading.Event()

    def first() -> None:
        with db_locks.writer_turn():
            order.append("first in")
            first_inside.set()
            release_first.wait(5)
            order.append("first out")

    def second() -> None:
        first_inside.wait(5)
        with db_locks.writer_turn():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_inside.wait(5)
    release_first.set()
    for t in threads:
        t.join(5)
    assert order == ["first in", "first out", "second in"]
