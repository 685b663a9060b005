from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from bondgenoot.settings import database_from_url, env_bool, env_int


class DatabaseUrlTest(SimpleTestCase):
    def test_it_reads_a_postgres_url(self):
        db = database_from_url("postgres://bg:s%40cret@db.example:5433/bondgenoot")
        self.assertEqual(db["ENGINE"], "django.db.backends.postgresql")
        self.assertEqual(
            (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]),
            ("bg", "s@cret", "db.example", "5433", "bondgenoot"),
        )

    def test_it_refuses_an_unknown_scheme_loudly(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "mysql"):
            database_from_url("mysql://x/y")

    def test_it_refuses_a_url_without_a_database_name(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "name a database"):
            database_from_url("postgres://localhost")


class EnvTest(SimpleTestCase):
    def test_it_refuses_bad_booleans_and_numbers(self):
        import os

        os.environ["BG_TEST_FLAG"] = "perhaps"
        os.environ["BG_TEST_NUMBER"] = "ten"
        try:
            with self.assertRaisesMessage(ImproperlyConfigured, "true or false"):
                env_bool("BG_TEST_FLAG", False)
            with self.assertRaisesMessage(ImproperlyConfigured, "whole number"):
                env_int("BG_TEST_NUMBER", 1)
        finally:
            del os.environ["BG_TEST_FLAG"], os.environ["BG_TEST_NUMBER"]
