from django.core.management.base import BaseCommand, CommandError, CommandParser

from exemplar.people.models import User
from exemplar.programmes.domain.demo import load_demo_programme
from exemplar.programmes.models import Programme


class Command(BaseCommand):
    help = "Load the demo programme (Aerospace Role Models 2026, open for nominations) after load_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when a programme already exists.")
        parser.add_argument("--actor", default="office", help="User name of the programme office account.")

    def handle(self, *args: object, **options: object) -> None:
        if Programme.objects.exists():
            if options["if_empty"]:
                self.stdout.write("A programme is already present; nothing loaded.")
                return
            msg = "The database already holds a programme; the demo programme loads only into an empty one."
            raise CommandError(msg)
        actor = User.objects.filter(username=options["actor"]).first()
        if actor is None:
            msg = f"No account called {options['actor']!r}: run load_demo first."
            raise CommandError(msg)
        try:
            programme = load_demo_programme(actor=actor)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Loaded the demo programme {programme} in phase {programme.current_phase.kind}.")
