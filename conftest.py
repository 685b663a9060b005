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
