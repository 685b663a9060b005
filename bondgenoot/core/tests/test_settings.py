import unittest

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import SimpleTestCase, TestCase

from bondgenoot.settings import database_from_url, env_bool, env_int


class DatabaseUrlTest(SimpleTestCase):
    def test_it_reads_a_postgres_url(self):
        db = database_from_url("postgres://bg:s%40cret@db.example:5433/bondgenoot")
        self.assertEqual(db["ENGINE"], "django.db.backends.postgresql")
        self.assertEqual(
            (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]),
            ("bg", "s@cret", "db.example", "5433", "bondgenoot"),
        )

    def test_postgres_queries_are_bound_by_the_server_and_prepared_unless_turned_off(self):
        import os

        options = database_from_url("postgres://localhost/bondgenoot")["OPTIONS"]
        self.assertEqual(options, {"server_side_binding": True, "prepare_threshold": 5})
        os.environ["DB_PREPARE_THRESHOLD"] = "0"  # a pooler in transaction mode
        try:
            options = database_from_url("postgres://localhost/bondgenoot")["OPTIONS"]
            self.assertEqual(options, {"server_side_binding": True, "prepare_threshold": None})
            os.environ["DB_PREPARE_THRESHOLD"] = "-1"
            with self.assertRaisesMessage(ImproperlyConfigured, "DB_PREPARE_THRESHOLD"):
                database_from_url("postgres://localhost/bondgenoot")
        finally:
            del os.environ["DB_PREPARE_THRESHOLD"]

    def test_it_refuses_an_unknown_scheme_loudly(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "mysql"):
            database_from_url("mysql://x/y")

    def test_it_refuses_a_url_without_a_database_name(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "name a database"):
            database_from_url("postgres://localhost")


@unittest.skipUnless(connection.vendor == "postgresql", "prepared statements: PostgreSQL")
class PreparedStatementsTest(TestCase):
    def test_a_query_run_again_is_planned_once_on_the_connection(self):
        from bondgenoot.people.models import School

        def prepared() -> int:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_prepared_statements")
                return cursor.fetchone()[0]

        before = prepared()
        for pk in range(1, 7):  # more often than DB_PREPARE_THRESHOLD (5)
            list(School.objects.filter(pk=pk))
        self.assertGreater(prepared(), before)


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


class CacheUrlTest(SimpleTestCase):
    def test_it_shares_the_cache_through_the_database_by_default(self):
        from bondgenoot.settings import CACHE_TABLE, cache_from_url

        cache = cache_from_url("")
        self.assertEqual(cache["BACKEND"], "django.core.cache.backends.db.DatabaseCache")
        self.assertEqual(cache["LOCATION"], CACHE_TABLE)

    def test_it_uses_djangos_redis_backend_for_a_redis_url(self):
        from bondgenoot.settings import cache_from_url

        for url in ("redis://cache.internal:6379/1", "rediss://:secret@cache.internal:6380/0"):
            cache = cache_from_url(url)
            self.assertEqual(cache["BACKEND"], "django.core.cache.backends.redis.RedisCache")
            self.assertEqual(cache["LOCATION"], url)

    def test_it_says_what_is_missing_for_redis(self):
        from bondgenoot.settings import cache_from_url

        with self.assertRaisesMessage(ImproperlyConfigured, "pip install redis"):
            cache_from_url("redis://cache.internal:6379/1", redis_installed=False)

    def test_it_refuses_an_unknown_cache_loudly(self):
        from bondgenoot.settings import cache_from_url

        with self.assertRaisesMessage(ImproperlyConfigured, "memcached"):
            cache_from_url("memcached://cache.internal:11211")

    def test_the_settings_read_cache_url_from_the_environment(self):
        import os
        import subprocess
        import sys

        code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
            "BONDGENOOT_ALLOW_DEV_SECRET": "1",
        }
        env.pop("CACHE_BACKEND", None)
        out = {}
        for name, value in [("default", None), ("locmem", "locmem://"), ("bad", "ftp://x")]:
            run_env = {**env, "CACHE_URL": value} if value else env
            result = subprocess.run(
                [sys.executable, "-c", "import django; django.setup(); " + code],
                env=run_env,
                capture_output=True,
                text=True,
            )
            out[name] = (result.returncode, result.stdout.strip() or result.stderr[-200:])
        self.assertEqual(out["default"], (0, "django.core.cache.backends.db.DatabaseCache"))
        self.assertEqual(out["locmem"], (0, "django.core.cache.backends.locmem.LocMemCache"))
        self.assertNotEqual(out["bad"][0], 0)
        self.assertIn("CACHE_URL must be", out["bad"][1])


class CacheTableTest(TestCase):
    def test_migrate_makes_the_database_caches_table(self):
        import importlib

        from django.db import connection
        from django.test import override_settings

        from bondgenoot.settings import cache_from_url

        migration = importlib.import_module("bondgenoot.core.migrations.0001_cache_tables")
        probe = {**cache_from_url(""), "LOCATION": "bondgenoot_cache_probe"}
        self.assertNotIn("bondgenoot_cache_probe", connection.introspection.table_names())
        with override_settings(CACHES={"default": probe}):
            migration.create_cache_tables(None, connection.schema_editor())
        self.assertIn("bondgenoot_cache_probe", connection.introspection.table_names())
