from django.core.management.base import BaseCommand, CommandError

from cms.models import Mairie
from hackathon.models import Draw
from hackathon.services import draw_verify, month_start


class Command(BaseCommand):
    help = "Recompute a mairie's draw(s) of a month from the published record and say whether they match."

    def add_arguments(self, parser):
        parser.add_argument("mairie", help="The mairie's slug, e.g. paris19.")
        parser.add_argument("month", help="The month, YYYY-MM.")

    def handle(self, *args, mairie, month, **options):
        found = Mairie.objects.filter(slug=mairie).first()
        if found is None:
            raise CommandError(f"No mairie '{mairie}'.")
        try:
            first_day = month_start(month)
        except Exception as exc:
            raise CommandError("The month must be YYYY-MM.") from exc
        draws = list(Draw.objects.filter(mairie=found, month=first_day).select_related("winner").order_by("sequence"))
        if not draws:
            raise CommandError(f"No draw for {mairie} in {month}.")
        all_match = True
        for draw in draws:
            result = draw_verify(draw)
            self.stdout.write(f"Draw {draw.pk} ({month}, #{draw.sequence}):")
            if "replaces" in result:
                self.stdout.write(f"  replaces    draw {result['replaces']} (list hash {result['replaces_list_hash']})")
                self.stdout.write(f"  redraw kind {result['redraw_kind']}")
                self.stdout.write(f"  reason      {result['reason']}")
            self.stdout.write(f"  list hash   {result['list_hash']}  "
                              f"{'ok' if result['list_hash_matches'] else 'MISMATCH'}")
            self.stdout.write(f"  source      {draw.entropy_source}")
            self.stdout.write(f"  public at   {draw.entropy_available_at.isoformat()}")
            if result["drawn"]:
                self.stdout.write(f"  entropy     {result['entropy_value']}")
                self.stdout.write(f"  seed        {result['seed']}  "
                                  f"{'ok' if result['seed'] == result['published_seed'] else 'MISMATCH'}")
                self.stdout.write(f"  r = {result['r']} (mod {result['total_weight']})")
                self.stdout.write(f"  winner      {result['winner_id']} {result['winner_title']}  "
                                  f"{'ok' if result['winner_id'] == result['published_winner_id'] else 'MISMATCH'}")
            elif draw.is_void:
                self.stdout.write(f"  closed without a draw: {draw.closed_reason}")
            else:
                self.stdout.write("  not drawn yet")
            self.stdout.write("  MATCHES" if result["matches"] else "  DOES NOT MATCH")
            all_match = all_match and result["matches"]
        if not all_match:
            raise CommandError("At least one draw does not match its published record.")
