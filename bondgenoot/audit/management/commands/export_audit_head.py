"""Keep the audit log's head outside the database (run daily, e.g. from cron).

Appends "DATE SEQ HASH" to ``AUDIT_HEAD_FILE`` (default var/audit-heads.txt; put it on
another machine or a write-once store) and, with ``--mail``, emails the line to every
administrator. ``verify_audit --heads-file FILE`` or ``--expect-head SEQ:HASH`` then
notices when the newest entries were deleted and the head row set back.
"""

from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry, AuditHead


class Command(BaseCommand):
    help = "Append the audit log's head (seq and hash) to a file and optionally email it."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="where to append (default: AUDIT_HEAD_FILE)")
        parser.add_argument("--mail", action="store_true", help="email it to administrators")

    def handle(self, *args, **options):
        from bondgenoot.people.models import Membership, Role

        # The export itself is an entry, so the exported head is never older than today.
        record(None, AuditEntry.Action.EXPORT, detail={"export": "audit_head"})
        head = AuditHead.objects.get(pk=1)
        line = f"{timezone.now().isoformat(timespec='seconds')} {head.seq} {head.hash}"
        path = Path(options["file"] or settings.AUDIT_HEAD_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as f:
            f.write(line + "\n")
        self.stdout.write(line)
        if options["mail"]:
            addresses = sorted(
                set(
                    Membership.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True)
                    .exclude(user__email="")
                    .values_list("user__email", flat=True)
                )
            )
            if addresses:
                with translation.override(settings.LANGUAGE_CODE):
                    send_mail(
                        _("Bondgenoot: today's audit head"),
                        _(
                            "Keep this line somewhere safe. 'manage.py verify_audit "
                            "--expect-head SEQ:HASH' checks that the audit log still "
                            "contains it."
                        )
                        + f"\n\n{line}\n",
                        None,
                        addresses,
                    )
            self.stdout.write(f"Sent to {len(addresses)} administrator(s).")
