"""Short dates as a Dutch reader expects them.

``{{ value|day }}`` writes "3 mrt" (Dutch month abbreviations are lower case; Django's
``M`` capitalises them to "Mrt") or "3 Mar" in English, and adds the year when it is not
this year ("3 mrt 2025"), so an overdue action from last year does not look recent.
``{{ value|day:"year" }}`` always adds the year, ``{{ value|day:"time" }}`` the time and
``{{ value|day:"long" }}`` writes the month in full ("3 maart", "3 maart 2025").
"""

from __future__ import annotations

from django import template

from bondgenoot.lib.dates import short_date

register = template.Library()


register.filter("day", short_date)
