from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.widgets import FastSelect
from bondgenoot.people.schoolyear import current_school_year

from .models import Family, Group, Membership, Role, School, Situation, User, user_label


class SchoolChoiceMixin:
    """For forms that create something for one school: a user with the role at several
    schools chooses which one (a ``school`` field, first, limited to those schools); with
    one school there is no field and that school is used. Call ``add_school_choice``
    from ``__init__``; read the choice with ``chosen_school_id``."""

    # What the form this is mixed into provides.
    fields: dict[str, forms.Field]
    cleaned_data: dict
    if TYPE_CHECKING:

        def order_fields(self, field_order: Iterable[str] | None) -> None: ...

    def add_school_choice(self, schools, initial: int | None = None) -> None:
        self.school_ids = list(schools)
        if len(self.school_ids) > 1:
            options = School.objects.filter(pk__in=self.school_ids).order_by("name")
            self.fields["school"] = forms.TypedChoiceField(
                label=_("School"),
                choices=[("", _("Choose a school"))] + [(s.pk, s.name) for s in options],
                coerce=int,
                initial=initial,
                widget=FastSelect,
            )
            self.order_fields(["school"])

    def chosen_school_id(self) -> int:
        if "school" in self.fields:
            return self.cleaned_data["school"]
        return self.school_ids[0]


class FamilyFilterForm(forms.Form):
    SORTS = [
        ("name", _("Name (A–Z)")),
        ("-name", _("Name (Z–A)")),
        ("group", _("Group")),
    ]
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name of pupil or parent"),
                "autocomplete": "off",
            }
        ),
    )
    group = forms.TypedChoiceField(
        label=_("Group"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False, widget=FastSelect)
    situation = forms.ChoiceField(
        label=_("Situation"),
        required=False,
        choices=[("", _("All situations"))] + Situation.choices,
        widget=FastSelect,
    )

    def __init__(self, *args, groups=(), situations=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All my groups"))] + [(g.pk, g.name) for g in groups]
        if not situations:
            # The situation is part of working with a family, not of the register.
            del self.fields["situation"]


def contact_person_choices(family: Family):
    """Staff who can be a family's contact person: its mentors and the care team."""
    # Two subqueries, not one join: joining users to every pupil of every group they
    # mentor and to their memberships took about 150 ms at district scale.
    mentors = Group.objects.filter(pupils__family=family, school_year=current_school_year()).values(
        "mentors"
    )
    team = Membership.objects.filter(
        school_id=family.school_id, role__in=[Role.CARE_COORDINATOR, Role.MENTOR]
    ).values("user_id")
    # Only what a choice shows: a school's whole team is listed, and converting every
    # account's dates and password hash was most of this query's time.
    return (
        User.objects.filter(Q(pk__in=mentors) | Q(pk__in=team), is_active=True)
        .only("id", "username", "first_name", "last_name", "is_active")
        .order_by("first_name", "last_name")
    )


def staff_choices(family: Family) -> list[tuple[int, str]]:
    """``contact_person_choices`` as (id, name) rows, for forms that only show them: a
    school's whole team as model instances took about 0.6 ms of the advice panel."""
    rows = contact_person_choices(family).values_list("id", "first_name", "last_name", "username")
    return [(pk, user_label(first, last, username)) for pk, first, last, username in rows]


def offer(field: forms.ModelChoiceField, choices: list[tuple[int, str]]) -> None:
    """Render ``field`` with ``choices`` already fetched (``staff_choices``; its queryset
    still validates what is posted): a page that offers the same people in several
    forms asks once."""
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = empty + choices


class ContactPersonForm(forms.Form):
    contact_person = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The mentor"),
        widget=FastSelect,
    )

    def __init__(self, *args, family: Family, staff: list | None = None, **kwargs):
        # Its own ids: the situation form on the family page has a contact_person too.
        kwargs.setdefault("auto_id", "id_person_%s")
        super().__init__(*args, **kwargs)
        self.family = family
        field = cast(forms.ModelChoiceField, self.fields["contact_person"])
        if self.is_bound or staff is None:
            # What a posted choice is checked against (a form only shown needs the
            # choices alone: ``staff``, fetched once for the page).
            field.queryset = contact_person_choices(family)
        if staff is not None:
            offer(field, staff)

    def clean_contact_person(self):
        person = self.cleaned_data.get("contact_person")
        if person is None and self.family.situation == Situation.SENSITIVE:
            raise forms.ValidationError(
                _(
                    "This family is a sensitive case: it needs one fixed contact person. "
                    "Choose who the family can always turn to."
                )
            )
        return person
