"""Small-cell suppression, attacked: every hidden count must have more than one
possible value given everything the page shows (worked out by brute force on small
tables), and the classic attacks (total minus shown cells) must fail."""

import itertools
import random

from django.test import SimpleTestCase

from bondgenoot.lib.suppression import COMPLEMENT, SMALL, THRESHOLD, equations_for_grid, protect


def grid(values):
    rows, cols = range(len(values)), range(len(values[0]))
    v = {(r, c): values[r][c] for r in rows for c in cols}
    for r in rows:
        v["R", r] = sum(values[r])
    for c in cols:
        v["C", c] = sum(values[r][c] for r in rows)
    v["T"] = sum(map(sum, values))
    eqs = equations_for_grid(
        list(rows), list(cols), lambda r, c: (r, c), lambda r: ("R", r), lambda c: ("C", c), "T"
    )
    return v, eqs, list(rows), list(cols)


def possible_values(values, status, rows, cols):
    """Brute force: every assignment of the hidden inner cells that agrees with what is
    shown (shown numbers, "< 10" and "hidden (so at least 10)")."""
    hidden = [(r, c) for r in rows for c in cols if (r, c) in status]
    total = values["T"]

    def options(key):
        if status[key] == SMALL:
            return range(THRESHOLD)
        return range(THRESHOLD, total + 1)

    seen = {k: set() for k in status}
    for combo in itertools.product(*(options(k) for k in hidden)):
        cell = {
            **{(r, c): values[r, c] for r in rows for c in cols},
            **dict(zip(hidden, combo, strict=True)),
        }
        derived = {("R", r): sum(cell[r, c] for c in cols) for r in rows}
        derived |= {("C", c): sum(cell[r, c] for r in rows) for c in cols}
        derived["T"] = sum(derived["R", r] for r in rows)
        ok = True
        for key, value in derived.items():
            if key in status:
                if (status[key] == SMALL) != (value < THRESHOLD):
                    ok = False
                    break
            elif value != values[key]:
                ok = False
                break
        if ok:
            for key in status:
                seen[key].add(cell[key] if key in cell else derived[key])
    return seen


class SuppressionTest(SimpleTestCase):
    def test_it_hides_small_counts_and_a_partner_in_each_line(self):
        values, eqs, *_ = grid([[5, 20, 30], [12, 15, 40], [11, 19, 50]])
        status = protect(values, eqs)
        self.assertEqual(status[0, 0], SMALL)
        self.assertIn(COMPLEMENT, status.values())

    def test_it_defeats_total_minus_all_shown_cells(self):
        values, eqs, *_ = grid([[3, 40, 50], [25, 30, 40]])
        status = protect(values, eqs)
        for eq in eqs:
            line = [eq.total, *eq.parts]
            hidden = [k for k in line if k in status]
            self.assertNotEqual(len(hidden), 1, eq)

    def test_it_hides_a_zero_pair_that_the_total_gives_away(self):
        # row 0: 0 + 0 + 30 = 30: both zeros would follow from the total
        values, eqs, *_ = grid([[0, 0, 30], [12, 15, 40]])
        status = protect(values, eqs)
        self.assertIn((0, 2), status)

    def test_no_hidden_count_can_be_worked_out_on_random_small_tables(self):
        rng = random.Random(7)
        checked = 0
        for _n in range(40):
            shape = rng.choice([(2, 2), (2, 3), (3, 2)])
            table = [
                [rng.choice([0, 1, 3, 8, 10, 12]) for _c in range(shape[1])]
                for _r in range(shape[0])
            ]
            values, eqs, rows, cols = grid(table)
            status = protect(values, eqs)
            hidden_inner = [
                k
                for k in status
                if isinstance(k, tuple) and k[0] in rows and len(k) == 2 and k[0] not in ("R", "C")
            ]
            if len(hidden_inner) > 4:
                continue
            seen = possible_values(values, status, rows, cols)
            for key, options in seen.items():
                self.assertGreater(len(options), 1, (table, key, status))
            checked += 1
        self.assertGreater(checked, 20)

    def test_it_is_deterministic(self):
        values, eqs, *_ = grid([[5, 20, 30], [12, 15, 40], [11, 19, 50]])
        self.assertEqual(protect(values, eqs), protect(dict(values), list(eqs)))
