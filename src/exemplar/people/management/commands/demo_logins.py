from django.core.management.base import BaseCommand

from exemplar.people.domain.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from exemplar.people.models import User


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args: object, **options: object) -> None:
        present = set(
            User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list("username", flat=True)
        )
        if not present:
            self.stdout.write("No demo accounts in this database.")
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, unit in DEMO_ACCOUNTS:
            if username in present:
                self.stdout.write(f"  {username:<13} {role.label} @ {unit}")
