"""Django's own interface strings that its Dutch catalogue does not translate yet.

Django 6.1 puts "- Select an option -" (``BLANK_CHOICE_LABEL``) at the top of every
select list with an empty choice; its Dutch catalogue has no translation for it yet, so
our catalogue carries one (project catalogues are searched before Django's). Listing the
msgid here keeps it in ``locale/nl`` through ``make messages``.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (gettext_noop("- Select an option -"),)
