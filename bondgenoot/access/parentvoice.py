"""The parent's voice: what a parent may do in the portal, and who handles it at school.

==================  ==================================================================
parent              with parental authority over a pupil still at school, for that
                    pupil only: ask for a conversation, add their own view to a
                    record they may see, ask for a correction, restriction or objection,
                    write what works at home, change their own contact details,
                    download what the school holds about the child and themselves
                    (another family's ids, a child without their authority or a child
                    who left: 404)
care coordinator    handles the requests about the record of their school's pupils
mentor              reads what parents wrote (own views, what works at home) on the
                    family page of the families they work with
==================  ==================================================================

What a parent sees of the record (``visible_contacts_for_parent``,
``visible_signals_for_parent``, ``visible_shares_for_parent``) is defined here once, for
the pages and for the export alike:

* contacts that name this child, or that name no child and in which this parent took
  part; never a contact that also names a child over whom they have no authority (a
  step-sibling: its note may be about that child);
* signals about this child, never their interpretation (the pages and the export only
  read the fields listed in ``SIGNAL_FIELDS``);
* shares of those signals, except those a care coordinator marked "parents may not
  know" (``Share.restricted``);
* and never a record a care coordinator marked "not shown to parents"
  (``_shown_to_parents``: the portal's restriction flag, when the model has it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from bondgenoot.people.models import Guardian, Guardianship, Pupil, User

from .core import get_or_404, is_active_user, schools_for
from .families import is_parent_of, parent_pupils
from .ledger import next_step_owner_choices

if TYPE_CHECKING:
    from bondgenoot.contacts.models import Contact
    from bondgenoot.network.models import Share, Signal
    from bondgenoot.parentvoice.models import ExportJob, RecordRequest

# The flag a care coordinator sets on a contact or signal that parents may not see
# (the portal adds it, with a reason and a review date).
# The signal fields a parent reads (never the interpretation).
SIGNAL_FIELDS = (
    "id",
    "category",
    "observed_on",
    "observed_where",
    "observed_by",
    "observation",
    "pupil_words",
    "parents_informed",
    "created_at",
)


def get_parent_pupil(user: Any, pk: Any) -> Pupil:
    """A pupil still at school over whom this user has parental authority; else 404."""
    return get_or_404(parent_pupils(user).select_related("family", "group", "school"), pk)


def parent_guardian(user: Any, pupil: Pupil) -> Guardian:
    """This user's guardian record with parental authority over ``pupil``; else 404."""
    guardian = (
        Guardian.objects.filter(
            user=user, guardianships__pupil=pupil, guardianships__parental_authority=True
        )
        .order_by("pk")
        .first()
    )
    if guardian is None or not is_active_user(user):
        raise Http404
    return guardian


def _shown_to_parents[Q_: QuerySet[Any]](queryset: Q_) -> Q_:
    """Leave out what a care coordinator marked "not shown to parents": the portal's
    restrictions in force (``access.parents``, one definition for portal and export)."""
    from .parents import _not_restricted

    field = "contact" if queryset.model._meta.model_name == "contact" else "signal"
    return queryset.filter(_not_restricted(field))


def _other_children(user: Any, pupil: Pupil) -> QuerySet[Pupil]:
    """The pupils of ``pupil``'s family over whom this user has no parental authority
    (a step-sibling, a half-brother): nothing about them reaches this parent."""
    mine = Guardianship.objects.filter(guardian__user=user, parental_authority=True).values(
        "pupil_id"
    )
    return Pupil.objects.filter(family_id=pupil.family_id).exclude(pk__in=mine)


def visible_contacts_for_parent(user: Any, pupil: Pupil) -> QuerySet[Contact]:
    """The ledger contacts this parent may read about ``pupil`` (see the module)."""
    from bondgenoot.contacts.models import Contact

    if not is_parent_of(user, pupil):
        return Contact.objects.none()
    about_child = Q(pupils=pupil)
    with_me = Q(pupils__isnull=True, guardians__user=user)
    contacts = (
        Contact.objects.filter(family_id=pupil.family_id)
        .filter(pk__in=Contact.objects.filter(about_child | with_me).values("pk"))
        .exclude(pupils__in=_other_children(user, pupil))
    )
    return _shown_to_parents(contacts)


def visible_signals_for_parent(user: Any, pupil: Pupil) -> QuerySet[Signal]:
    """The signals about ``pupil`` this parent may know of; read only ``SIGNAL_FIELDS``."""
    from bondgenoot.network.models import Signal

    if not is_parent_of(user, pupil):
        return Signal.objects.none()
    return _shown_to_parents(Signal.objects.filter(pupil=pupil)).only(*SIGNAL_FIELDS)


def visible_shares_for_parent(user: Any, pupil: Pupil) -> QuerySet[Share]:
    """Shares of the visible signals, except those the parents may not know of."""
    from bondgenoot.network.models import Share

    return Share.objects.filter(
        signal__in=visible_signals_for_parent(user, pupil).values("pk"), restricted=False
    )


def get_contact_for_parent(user: Any, pupil: Pupil, pk: Any) -> Contact:
    return get_or_404(visible_contacts_for_parent(user, pupil).select_related("author"), pk)


def get_signal_for_parent(user: Any, pupil: Pupil, pk: Any) -> Signal:
    return get_or_404(visible_signals_for_parent(user, pupil), pk)


def get_record_request_for_parent(user: Any, pupil: Pupil, pk: Any) -> RecordRequest:
    """One of this parent's own requests about this child; else 404."""
    from bondgenoot.parentvoice.models import RecordRequest

    return get_or_404(RecordRequest.objects.filter(pupil=pupil, guardian__user=user), pk)


def get_export_for_parent(user: Any, pupil: Pupil, pk: Any) -> ExportJob:
    """One of this user's own exports about this child; else 404."""
    from bondgenoot.parentvoice.models import ExportJob

    return get_or_404(ExportJob.objects.filter(pupil=pupil, user=user), pk)


def conversation_owner(pupil: Pupil) -> User | None:
    """Who gets the next step when a parent asks for a conversation: the family's fixed
    contact person, else the pupil's mentor, else a care coordinator of the school;
    always someone who may read the family's contacts."""
    allowed = list(next_step_owner_choices(pupil.family))
    by_pk = {u.pk: u for u in allowed}
    if pupil.family.contact_person_id in by_pk:
        return by_pk[pupil.family.contact_person_id]
    if pupil.group is not None:
        mentors = set(pupil.group.mentors.values_list("pk", flat=True))
        for user in allowed:
            if user.pk in mentors:
                return user
    care = set(care_users_at(pupil.school_id))
    for user in allowed:
        if user.pk in care:
            return user
    return allowed[0] if allowed else None


def care_users_at(school_id: int) -> list[int]:
    """The users who handle parents' requests at a school (care coordinators)."""
    from bondgenoot.people.models import Membership

    from .core import CAPABILITIES

    return list(
        Membership.objects.filter(
            school_id=school_id,
            role__in=CAPABILITIES["parentvoice.requests"],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def record_request_schools(user: Any) -> list[int]:
    """Schools whose parents' requests about the record this user handles."""
    return schools_for(user, "parentvoice.requests")


def record_requests_for_care(user: Any) -> QuerySet[RecordRequest]:
    from bondgenoot.parentvoice.models import RecordRequest

    return RecordRequest.objects.filter(school_id__in=record_request_schools(user))


def get_record_request_for_care(user: Any, pk: Any) -> RecordRequest:
    return get_or_404(
        record_requests_for_care(user).select_related("pupil", "guardian", "handled_by"), pk
    )
