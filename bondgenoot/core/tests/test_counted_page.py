"""``lib.paging.counted_page``: the page ``Paginator.get_page`` gives (its rows, number,
count and neighbours) for every kind of page number, in one query for a page with rows."""

from django.core.paginator import Paginator
from django.db.models import Min

from bondgenoot.lib.paging import counted_page
from bondgenoot.people.models import Family
from bondgenoot.testing import BaseTestCase, count_queries, grow


class CountedPageTest(BaseTestCase):
    NUMBERS = (None, "", "1", "2", "3", "4", "99", "0", "-1", "abc", "2.0", 2)

    def assert_same(self, queryset, per_page: int) -> None:
        for number in self.NUMBERS:
            with self.subTest(number=number, per_page=per_page):
                expected = Paginator(queryset, per_page).get_page(number)
                page = counted_page(queryset, per_page, number)
                self.assertEqual(
                    [f.pk for f in page.object_list], [f.pk for f in expected.object_list]
                )
                self.assertEqual(page.number, expected.number)
                self.assertEqual(page.paginator.count, expected.paginator.count)
                self.assertEqual(page.paginator.num_pages, expected.paginator.num_pages)
                self.assertEqual(page.has_next(), expected.has_next())
                self.assertEqual(page.has_previous(), expected.has_previous())
                self.assertEqual(page.start_index(), expected.start_index())

    def test_it_gives_djangos_page(self):
        grow(self.school, self.group_1a, 7)
        families = Family.objects.order_by("name", "id")
        self.assertGreater(families.count(), 7)
        for per_page in (3, 4, 100):
            self.assert_same(families, per_page)
        # grouped by a sort key (Mijn gezinnen sorted by group), filtered, and empty
        grouped = Family.objects.annotate(first=Min("pupils__group__name"))
        self.assert_same(grouped.order_by("first", "name", "id"), 3)
        self.assert_same(families.filter(name__startswith="Extra"), 3)
        self.assert_same(families.none(), 3)
        self.assert_same(families.filter(name="no such family"), 3)

    def test_it_reads_a_page_with_its_count_in_one_query(self):
        grow(self.school, self.group_1a, 7)
        families = Family.objects.order_by("name", "id")
        for number in ("1", "2", None):
            page = None

            def read(number=number):
                nonlocal page
                page = counted_page(families, 3, number)
                page.paginator.num_pages  # noqa: B018  (Django counts here)

            self.assertEqual(count_queries(read), 1)
            self.assertEqual(page.paginator.count, families.count())
