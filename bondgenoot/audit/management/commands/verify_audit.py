from django.core.management.base import BaseCommand, CommandError

from bondgenoot.audit.log import verify
from bondgenoot.audit.models import AuditHead


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exits with an error when it was tampered with."

    def handle(self, *args, **options):
        count, problems = verify()
        for problem in problems:
            self.stderr.write(f"entry {problem.seq}: {problem.message}")
        if problems:
            raise CommandError(
                f"The audit log was tampered with: {len(problems)} problem(s) in {count} entries."
            )
        head = AuditHead.objects.filter(pk=1).first()
        self.stdout.write(
            f"OK: {count} entries, chain intact. Head: "
            f"{head.seq if head else 0} {head.hash if head else '-'}"
        )
