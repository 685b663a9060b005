"""Demo meetings for the first school: an upcoming theme evening with personal
invitations and answers, and an earlier coffee morning with who came."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bondgenoot.people.channels import Channel

from .models import Attendance, Invitation, Meeting


def seed_meetings(rng, batch, school, staff) -> None:
    from bondgenoot.people.models import Role, User

    mentor = next((u for u in staff[Role.MENTOR] if u.username == "mentor"), None)
    if mentor is None:
        return
    care = staff[Role.CARE_COORDINATOR][0] if staff[Role.CARE_COORDINATOR] else mentor
    mentors_of: dict[int, User] = {}
    for group, user in batch.mentor_links:
        mentors_of.setdefault(group.pk, user)
    mine = [
        (family, guardians)
        for family, pupils, guardians in batch.family_members
        if mentors_of[pupils[0].group.pk].pk == mentor.pk
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    evening = now.replace(hour=19) + timedelta(days=10)
    theme = Meeting.objects.create(
        school=school,
        kind=Meeting.Kind.THEME,
        theme=Meeting.Theme.SOCIAL_MEDIA,
        title="Sociale media: wat doet uw kind online?",
        description="Een avond met koffie en thee. We praten samen over telefoons, apps "
        "en afspraken thuis.",
        starts_at=evening,
        ends_at=evening + timedelta(hours=2),
        place="Aula",
        capacity=60,
        whole_school=True,
        created_by=care,
    )
    theme.languages.set(["ar", "tr"])  # type: ignore[list-item]  # set() takes primary keys of any type; the stubs say int
    morning = now.replace(hour=8, minute=30) - timedelta(days=20)
    coffee = Meeting.objects.create(
        school=school,
        kind=Meeting.Kind.INFORMAL,
        title="Koffieochtend",
        starts_at=morning,
        ends_at=morning + timedelta(hours=1, minutes=30),
        place="Kantine",
        created_by=mentor,
    )
    invitations, attendances = [], []
    answers = ["yes", "yes", "maybe", "no", ""]
    for index, (family, guardians) in enumerate(mine):
        guardian = guardians[0]
        language = guardian.written_language_id or "nl"
        if index < len(answers):
            invitations.append(
                Invitation(
                    meeting=theme,
                    family=family,
                    guardian=guardian,
                    language=language,
                    how=Channel.PERSONAL,
                    invited_by=mentor,
                    answer=answers[index],
                    people=1 + index % 2,
                    answered_at=now if answers[index] else None,
                )
            )
        invitations.append(
            Invitation(
                meeting=coffee,
                family=family,
                guardian=guardian,
                language=language,
                how=rng.choice([Channel.EMAIL, Channel.SMS]),
                invited_by=mentor,
            )
        )
        if rng.random() < 0.4:
            attendances.append(Attendance(meeting=coffee, family=family, checked_in_by=mentor))
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendances)
