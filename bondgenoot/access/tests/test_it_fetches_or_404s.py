"""``get_or_404``: the one fetch-or-404 every record helper uses."""

from __future__ import annotations

from unittest import mock

from django.http import Http404
from django.test import SimpleTestCase

from bondgenoot import access
from bondgenoot.people.models import Family
from bondgenoot.testing import BaseTestCase


class GetOr404Test(BaseTestCase):
    def test_it_returns_the_row(self):
        self.assertEqual(access.get_or_404(Family.objects.all(), self.jansen.pk), self.jansen)

    def test_it_answers_404_for_missing_and_malformed_ids(self):
        for pk in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "\x00", None, 12):
            with self.subTest(pk=pk), self.assertRaises(Http404):
                access.get_or_404(Family.objects.all(), pk)

    def test_it_answers_404_for_rows_outside_the_queryset(self):
        with self.assertRaises(Http404):
            access.get_or_404(Family.objects.exclude(pk=self.jansen.pk), self.jansen.pk)


class UnexpectedErrorsTest(SimpleTestCase):
    def test_it_does_not_turn_a_bug_into_a_404(self):
        queryset = mock.Mock()
        queryset.get.side_effect = RuntimeError("a bug")
        with self.assertRaises(RuntimeError):
            access.get_or_404(queryset, "x")
