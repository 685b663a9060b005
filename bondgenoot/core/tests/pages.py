"""The data of the query-count tests (a family with contacts, a bridge, a shared signal, a
meeting and a message), for tests that open the main pages without counting queries."""

from __future__ import annotations

from bondgenoot.core.tests.test_query_counts import QueryCountTestCase
from bondgenoot.testing import BaseTestCase


class MainPagesTestCase(BaseTestCase):
    # Borrowed, not inherited: inheriting would run every query-count test again.
    setUp = QueryCountTestCase.setUp
    add_family_data = QueryCountTestCase.add_family_data
    make_meeting = QueryCountTestCase.make_meeting
    make_message = QueryCountTestCase.make_message
