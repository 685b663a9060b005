"""Project-wide pytest setup."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _check_database_leg(django_db_setup, django_db_blocker):
    """When a leg says which database it runs on, make sure it really does."""
    expected = os.environ.get("EXPECT_DB")
    if expected:
        from django.db import connection

        assert connection.vendor == expected, (
            f"This test run should use {expected}, but uses {connection.vendor}."
        )


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counts (lib/throttle.py) start at zero in every test."""
    from bondgenoot.lib import throttle

    throttle.reset()


# Every process the suite starts inherits this mark in its environment, also one whose
# parent died (an orphan is re-parented to init and is no longer our descendant).
RUN_MARK = "BONDGENOOT_TEST_RUN"


@pytest.fixture(autouse=True, scope="session")
def _no_process_left_behind():
    """The suite starts real processes (a task worker, a server): after the last test
    none of them may still run, or CI would leave orphans polling a deleted database."""
    import uuid

    mark = f"{os.getpid()}-{uuid.uuid4().hex}"
    os.environ[RUN_MARK] = mark
    yield
    import time

    # Give processes ending right now a moment; nothing found twice in a row (a process
    # being forked or exec'd can be missed in one scan of /proc) means nothing is left.
    clear = 0
    for _ in range(50):
        left = processes_marked(mark)
        clear = 0 if left else clear + 1
        if clear == 2:
            return
        time.sleep(0.2)
    raise AssertionError(f"The test run left processes running: {left}")


def processes_marked(mark: str) -> list[str]:
    """Processes other than this one whose environment carries the run's mark (read
    from /proc; zombies excluded, they have exited)."""
    needle = f"{RUN_MARK}={mark}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2 :].split()[0] == "Z":
            continue
        found.append(f"{entry} {cmdline}")
    return found
