"""Check the audit log's hash chain, optionally against a head kept outside the database.

The chain alone cannot tell that the newest entries were deleted and the head row set
back to the last remaining entry. A head exported earlier (``export_audit_head``) and
kept elsewhere can: ``--expect-head SEQ:HASH`` (or ``--heads-file``, the export's file)
fails when that entry is gone or differs.
"""

from django.core.management.base import BaseCommand, CommandError

from bondgenoot.audit.log import verify
from bondgenoot.audit.models import AuditEntry, AuditHead


def parse_head(text: str) -> tuple[int, str]:
    """'SEQ:HASH', 'SEQ HASH' or an export line 'DATE SEQ HASH' → (seq, hash)."""
    parts = text.replace(":", " ").split()
    if len(parts) < 2 or not parts[-2].isdigit() or len(parts[-1]) != 64:
        raise CommandError(f"An expected head looks like SEQ:HASH (64 hex digits), not {text!r}")
    return int(parts[-2]), parts[-1].lower()


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exits with an error when it was tampered with."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="an earlier head (from export_audit_head) that must still be in the chain",
        )
        parser.add_argument(
            "--heads-file",
            help="a file written by export_audit_head: its newest line must still hold",
        )

    def handle(self, *args, **options):
        expected = [parse_head(h) for h in options["expect_head"]]
        if options["heads_file"]:
            try:
                with open(options["heads_file"]) as f:
                    lines = [line for line in f if line.strip()]
            except OSError as exc:
                raise CommandError(f"Cannot read {options['heads_file']}: {exc}") from None
            if lines:
                expected.append(parse_head(lines[-1]))
        count, problems = verify()
        for problem in problems:
            self.stderr.write(f"entry {problem.seq}: {problem.message}")
        anchors = []
        for seq, hash_ in expected:
            entry = AuditEntry.objects.filter(seq=seq).only("hash").first()
            if entry is None:
                anchors.append(
                    f"entry {seq}: the exported head is gone (the newest entries were deleted)"
                )
            elif entry.hash != hash_:
                anchors.append(f"entry {seq}: differs from the exported head (rewritten)")
        for message in anchors:
            self.stderr.write(message)
        if problems or anchors:
            raise CommandError(
                f"The audit log was tampered with: {len(problems) + len(anchors)} problem(s) "
                f"in {count} entries."
            )
        head = AuditHead.objects.filter(pk=1).first()
        self.stdout.write(
            f"OK: {count} entries, chain intact. Head: "
            f"{head.seq if head else 0} {head.hash if head else '-'}"
        )
