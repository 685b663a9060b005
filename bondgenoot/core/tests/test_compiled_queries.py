"""``lib.compiled.CompiledQuery``: the rows the queryset reads, compiled once."""

import uuid

from django.db import connections
from django.test import TestCase, override_settings
from django.utils import timezone

from bondgenoot.contacts.models import Contact
from bondgenoot.lib.compiled import MAX_VALUES, CompiledQuery, compiled_sql
from bondgenoot.people.models import Guardian, Pupil
from bondgenoot.testing import count_queries, make_family, make_group, make_school, make_user


def pupils_of(ids):
    return (
        Pupil.objects.filter(family_id__in=ids)
        .select_related("group", "family")
        .order_by("last_name", "date_of_birth", "id")
    )


def languages_of(ids):
    through = Guardian.home_languages.through
    return (
        through.objects.filter(guardian_id__in=ids)
        .order_by("guardian__last_name", "language_id")
        .values_list("guardian_id", "language_id")
    )


class CompiledQueryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        school = make_school()
        mentor = make_user("mentor", school=school)
        first, second = make_group(school, "1A", mentors=[mentor]), make_group(school, "2B")
        cls.families = [
            make_family(school, [first]),
            make_family(school, [first, second], name="Bakker", guardians=3, languages=("ar",)),
            make_family(school, [second], name="Yilmaz", guardians=1, languages=("tr", "nl")),
        ]
        cls.guardians = list(Guardian.objects.order_by("id").values_list("pk", flat=True))

    def test_it_reads_the_rows_the_queryset_reads(self):
        pupils = CompiledQuery(pupils_of, Pupil._meta.get_field("family"))
        a, b, c = (f.pk for f in self.families)
        for ids in ([a], [b], [c], [a, b], [b, a], [c, a], [a, b, c], [a, a, b]):
            with self.subTest(ids=ids):
                got = [(p.pk, p.first_name, p.group.name, p.family.name) for p in pupils(ids)]
                expected = [
                    (p.pk, p.first_name, p.group.name, p.family.name) for p in pupils_of(ids)
                ]
                self.assertEqual(got, expected)
                self.assertTrue(got)

    def test_it_gives_rows_of_values_as_the_queryset_does(self):
        languages = CompiledQuery(languages_of, Guardian.home_languages.through.guardian.field)
        for ids in (self.guardians[:1], self.guardians[1:3], self.guardians[::-1]):
            with self.subTest(ids=ids):
                self.assertEqual(languages(ids), list(languages_of(ids)))

    def test_an_empty_list_reads_nothing_and_a_long_list_is_read_as_usual(self):
        pupils = CompiledQuery(pupils_of, Pupil._meta.get_field("family"))
        self.assertEqual(count_queries(lambda: self.assertEqual(pupils([]), [])), 0)
        many = [f.pk for f in self.families] + [uuid.uuid4() for _ in range(MAX_VALUES)]
        self.assertEqual([p.pk for p in pupils(many)], [p.pk for p in pupils_of(many)])
        self.assertEqual(pupils.db, "default")  # known after a long list too

    @override_settings(CHECK_COMPILED_QUERIES=False)
    def test_it_builds_and_compiles_once_per_connection_and_number_of_values(self):
        built = []

        def build(ids):
            built.append(len(ids))
            return pupils_of(ids)

        pupils = CompiledQuery(build, Pupil._meta.get_field("family"))
        a, b, c = (f.pk for f in self.families)
        pupils([a])
        self.assertEqual(built, [1, 1])  # the query and the check with made-up values
        pupils([b])
        pupils([c])
        pupils([a, b])
        self.assertEqual(built, [1, 1, 2, 2])
        self.assertEqual([p.family_id for p in pupils([c, b])], [b, b, c])
        self.assertEqual(built, [1, 1, 2, 2])
        # Kept on the connection: another connection (thread) compiles its own.
        del connections["default"].__dict__["_compiled_queries"]
        pupils([a])
        self.assertEqual(built, [1, 1, 2, 2, 1, 1])

    def test_a_query_shaped_by_more_than_its_values_is_refused_when_first_compiled(self):
        recent = CompiledQuery(
            lambda ids: Contact.objects.filter(family_id__in=ids, at__lte=timezone.now()),
            Contact._meta.get_field("family"),
        )
        with self.assertRaisesMessage(ValueError, "depends on more than its values"):
            recent([self.families[0].pk])
        first = self.families[0].pk
        by_value = CompiledQuery(  # a filter only for one family: other SQL for the others
            lambda ids: pupils_of(ids).filter(**({"first_name": "Noah"} if first in ids else {})),
            Pupil._meta.get_field("family"),
        )
        with self.assertRaisesMessage(ValueError, "depends on more than its values"):
            by_value([first])
        # Control: the same query with a fixed moment compiles and runs.
        moment = timezone.now()
        fixed = CompiledQuery(
            lambda ids: Contact.objects.filter(family_id__in=ids, at__lte=moment),
            Contact._meta.get_field("family"),
        )
        self.assertEqual(fixed([self.families[0].pk]), [])

    def test_the_suite_compares_each_run_with_the_queryset_built_afresh(self):
        shape = {"named": False}

        def build(ids):
            pupils = pupils_of(ids)
            return pupils.filter(first_name="Noah") if shape["named"] else pupils

        pupils = CompiledQuery(build, Pupil._meta.get_field("family"))
        ids = [self.families[1].pk]
        self.assertEqual(len(pupils(ids)), 2)
        shape["named"] = True  # the SQL now depends on something besides the values
        with self.assertRaisesMessage(AssertionError, "depends on more than its values"):
            pupils(ids)
        with override_settings(CHECK_COMPILED_QUERIES=False):
            self.assertEqual(len(pupils(ids)), 2)  # what the check is there to catch


def contacts_between(start, end, family_ids):
    return (
        Contact.objects.filter(at__gte=start, at__lt=end, family_id__in=family_ids)
        .order_by("at")
        .values_list("pk", flat=True)
    )


class CompiledSqlTest(TestCase):
    """``lib.compiled.compiled_sql``: several values, the rest named by a key."""

    @classmethod
    def setUpTestData(cls):
        school = make_school()
        group = make_group(school, "1A")
        cls.families = [make_family(school, [group]), make_family(school, [group], name="Bakker")]
        cls.author = make_user("mentor", school=school)
        now = timezone.now()
        for days, family in ((1, 0), (3, 1), (5, 0), (9, 1)):
            Contact.objects.create(
                school=school,
                family=cls.families[family],
                author=cls.author,
                at=now - timezone.timedelta(days=days),
                channel="phone",
                purpose="informal",
                tone="neutral",
            )
        cls.now = now

    def run_sql(self, sql, params):
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def test_it_gives_the_sql_and_parameters_of_the_query_built_afresh(self):
        a, b = (f.pk for f in self.families)
        day = timezone.timedelta(days=1)
        for start, end in (
            (self.now - 4 * day, self.now),
            (self.now - 10 * day, self.now - 2 * day),
            (self.now - 10 * day, self.now),
        ):
            with self.subTest(start=start, end=end):
                fresh = contacts_between(start, end, [a, b])
                sql, params = compiled_sql(
                    ("between", 2),
                    lambda s, e: contacts_between(s, e, [a, b]),
                    [start, end],
                    "default",
                )
                self.assertEqual((sql, params), fresh.query.get_compiler("default").as_sql())
                got = [uuid.UUID(str(pk)) for pk in self.run_sql(sql, params)]
                self.assertEqual(got, list(fresh))
                self.assertTrue(list(fresh))

    @override_settings(CHECK_COMPILED_QUERIES=False)
    def test_it_builds_once_per_key_and_values_given(self):
        built = []
        group_ids = [1, 2, 3]

        def build(start, ids):
            built.append(len(ids))
            return Contact.objects.filter(at__gte=start, school_id__in=ids)

        compiled_sql(("build", 3), build, [self.now, group_ids], "default")
        self.assertEqual(built, [3, 3, 3])  # the query, then once per value made up
        sql, params = compiled_sql(("build", 3), build, [self.now, [7, 8, 9]], "default")
        self.assertEqual(built, [3, 3, 3])
        expected = Contact.objects.filter(at__gte=self.now, school_id__in=[7, 8, 9])
        self.assertEqual((sql, params), expected.query.get_compiler("default").as_sql())
        compiled_sql(("build", 2), build, [self.now, [1, 2]], "default")  # another key
        self.assertEqual(built, [3, 3, 3, 2, 2, 2])

    def test_a_query_whose_parameters_are_not_its_values_is_refused(self):
        day = timezone.timedelta(days=1)
        with self.assertRaisesMessage(ValueError, "parameters are not its values"):
            compiled_sql(
                ("shifted",),
                lambda start: Contact.objects.filter(at__gte=start - day),
                [self.now],
                "default",
            )
        with self.assertRaisesMessage(ValueError, "depends on more than its values"):
            compiled_sql(
                ("shaped",),
                lambda n: Contact.objects.filter(school_id__in=list(range(n))),
                [3],
                "default",
            )
        # Control: the value as it is compiles.
        sql, params = compiled_sql(
            ("as is",), lambda start: Contact.objects.filter(at__gte=start), [self.now], "default"
        )
        self.assertEqual(len(self.run_sql(sql, params)), 0)

    def test_the_suite_compares_each_run_with_the_query_built_afresh(self):
        shape = {"author": False}

        def build(start):
            contacts = Contact.objects.filter(at__gte=start)
            return contacts.filter(author=self.author) if shape["author"] else contacts

        compiled_sql(("key",), build, [self.now], "default")
        shape["author"] = True  # the SQL now depends on something the key does not name
        with self.assertRaisesMessage(AssertionError, "more than its values and key"):
            compiled_sql(("key",), build, [self.now], "default")
        with override_settings(CHECK_COMPILED_QUERIES=False):
            compiled_sql(("key",), build, [self.now], "default")  # what the check catches
