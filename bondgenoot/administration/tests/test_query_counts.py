"""The register's list pages run the same number of queries whatever the size."""

from django.urls import reverse

from bondgenoot.people.models import Organisation, Role
from bondgenoot.testing import BaseTestCase, grow, make_user


class QueryCountTest(BaseTestCase):
    def grow_accounts(self, n: int, prefix: str) -> None:
        org = Organisation.objects.create(name=f"Org {prefix}")
        for index in range(n):
            make_user(
                f"{prefix}{index}",
                school=self.school,
                roles=[Role.MENTOR, Role.TEACHER] if index % 2 else [Role.PARTNER],
                organisation=org if index % 3 == 0 else None,
            )

    def count(self, name: str, expected: int) -> None:
        self.login(self.admin)
        url = reverse(f"administration:{name}")
        self.client.get(url)  # warm the session
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_account_list_at_two_sizes(self):
        self.count("accounts", 7)
        self.grow_accounts(40, "a")
        self.count("accounts", 7)

    def test_the_pupil_list_at_two_sizes(self):
        self.count("pupils", 7)
        grow(self.school, self.group_1a, 40)
        self.count("pupils", 7)

    def test_the_organisation_list_at_two_sizes(self):
        self.count("organisations", 5)
        self.grow_accounts(20, "o")
        self.count("organisations", 5)

    def test_the_school_year_page_at_two_sizes(self):
        self.count("school_year", 9)
        grow(self.school, self.group_1a, 30)
        self.count("school_year", 9)
