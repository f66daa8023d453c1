"""Search quality on the demo content: recall@10 and MRR per backend, over a labelled set of French
queries written the way people type them (accents or not, plurals, elisions, several words).

    .venv/bin/python bench/search_quality.py            # SQLite, and PostgreSQL if it answers
    .venv/bin/python bench/search_quality.py --verbose  # every query with its rank

Each backend runs in its own process on a scratch database (var/bench/, or bench_search_quality on
the PostgreSQL server at BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432), seeded with
`seed_demo`. With ELASTICSEARCH_URL set, the Elasticsearch backend is measured too.

A relevant document is named by its type and title; a label that the demo content no longer has
is reported (and counted as missed), so that the set is kept in step with the demo.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_common import add_child_arguments, default_targets, run_children, setup_django  # noqa: E402

# (query, who, [(type, title), ...]): who is "public" (anonymous on the 19e) or "agent".
LABELLED = [
    ("vie privée", "public", [("cms.standardpage", "Vie privée et données personnelles")]),
    ("donnees personnelles conservation", "public", [("cms.standardpage", "Vie privée et données personnelles")]),
    ("à propos de la plateforme", "public", [("cms.standardpage", "À propos de la plateforme")]),
    ("velo", "public", [("bureau.project", "Des cours de vélo pour adultes le dimanche"),
                        ("occupai.proposal", "Atelier réparation de vélos")]),
    ("réparer son vélo", "public", [("occupai.proposal", "Atelier réparation de vélos")]),
    ("apprendre le vélo adulte", "public", [("bureau.project", "Des cours de vélo pour adultes le dimanche")]),
    ("composteur", "public", [("bureau.project", "Un composteur partagé au square de la Villette")]),
    ("epluchures", "public", [("bureau.project", "Un composteur partagé au square de la Villette")]),
    ("bibliotheque d'objets", "public", [("bureau.project", "Une bibliothèque d'objets rue de Crimée")]),
    ("prêter une perceuse", "public", [("bureau.project", "Une bibliothèque d'objets rue de Crimée")]),
    ("marché de nuit canal", "public", [("bureau.project", "Un marché de nuit sur le canal")]),
    ("fresques", "public", [("bureau.project", "Une fresque participative sur le mur de l'école Tandou"),
                            ("occupai.proposal", "Fresque participative"), ("occupai.event", "Fresque participative")]),
    ("l'école Tandou", "public", [("bureau.project", "Une fresque participative sur le mur de l'école Tandou")]),
    ("commandement bonjour", "public", [("commandements.commandement", "Commandement 1 : Le bonjour")]),
    ("le calme", "public", [("commandements.commandement", "Commandement 12 : Le calme"),
                            ("commandements.amendment", "Amendement au commandement 12")]),
    ("temps d'attente", "public", [("commandements.commandement", "Commandement 2 : L'attente"),
                                   ("hackathon.issue", "Attente trop longue au service de l'état civil")]),
    ("horaires d'ouverture", "public", [
        ("hackathon.issue", "Horaires d'ouverture de la mairie incompatibles avec le travail"),
        ("hackathon.session", "Hackathon : Horaires d'ouverture de la mairie incompatibles avec le travail"),
        ("commandements.commandement", "Commandement 7 : Les horaires")]),
    ("interprète langues", "public", [("commandements.commandement", "Commandement 13 : Toutes les langues")]),
    ("rampe handicap accès", "public", [("commandements.commandement", "Commandement 14 : L'accès pour chacun")]),
    ("numerique", "public", [("commandements.commandement", "Commandement 8 : Le numérique pour tous"),
                             ("commandements.amendment", "Amendement au commandement 8")]),
    ("guichet panneaux", "public", [("commandements.commandement", "Commandement 9 : Le bon guichet")]),
    ("les 19 commandements", "public", [("commandements.charter", "Les 19 commandements")]),
    ("tirage au sort", "public", [("hackathon.draw", "Tirage au sort de 08/2026"),
                                  ("hackathon.draw", "Tirage au sort de 09/2026"),
                                  ("hackathon.draw", "Tirage au sort de 10/2026")]),
    ("loto", "public", [("hackathon.draw", "Tirage au sort de 10/2026")]),
    ("bruit bar", "public", [("hackathon.issue", "Bruit nocturne autour d'un bar de la place")]),
    ("encombrants trottoirs", "public", [("hackathon.issue", "Encombrants laissés des jours sur le trottoir")]),
    ("inscription cantine", "public", [("hackathon.issue", "Inscription à la cantine scolaire trop compliquée")]),
    ("justificatif de domicile", "public", [("hackathon.issue", "Justificatifs de domicile refusés pour les démarches")]),
    ("banc à l'ombre", "public", [("hackathon.issue", "Pas de bancs à l'ombre au square"),
                                  ("hackathon.session", "Hackathon : Pas de bancs à l'ombre au square")]),
    ("lampadaires eteints", "public", [("hackathon.issue", "Passage sombre derrière le marché couvert")]),
    ("hackathon etat civil", "public", [("hackathon.session", "Hackathon : Attente trop longue au service de l'état civil")]),
    ("occupai été", "public", [("occupai.call", "Occupai : l'été de la mairie")]),
    ("printemps des voisins", "public", [("occupai.call", "Occupai : le printemps des voisins")]),
    ("chorale", "public", [("occupai.proposal", "Chorale des Buttes"), ("occupai.event", "Chorale des Buttes")]),
    ("concert de fanfare", "public", [("occupai.proposal", "Fanfare du canal en concert")]),
    ("vide grenier", "public", [("occupai.proposal", "Vide-grenier solidaire"), ("occupai.event", "Vide-grenier solidaire")]),
    ("film en plein air", "public", [("occupai.proposal", "Ciné-club en plein air")]),
    ("bal populaire", "public", [("occupai.proposal", "Bal populaire de l'été")]),
    ("hip hop danseurs", "public", [("occupai.proposal", "Battle de hip-hop sur le parvis")]),
    ("echecs", "public", [("occupai.proposal", "Initiation aux échecs sur le parvis")]),
    ("ping pong", "public", [("occupai.proposal", "Tournoi de ping-pong intergénérationnel")]),
    ("repas de quartier", "public", [("occupai.proposal", "Grand repas de quartier")]),
    ("recettes cuisine du monde", "public", [("occupai.proposal", "Atelier cuisine du monde")]),
    ("karaoke", "public", [("occupai.proposal", "Soirée karaoké")]),
    ("slam poesie", "public", [("occupai.proposal", "Scène ouverte slam et poésie")]),
    ("créatrices bijoux céramique", "public", [("occupai.proposal", "Marché de créateurs")]),
    ("la mairie de demain", "public", [("occupai.proposal", "La mairie de demain : on en parle")]),
    ("gouter tout-petits", "public", [("occupai.proposal", "Goûter-concert pour les tout-petits"),
                                      ("occupai.event", "Goûter-concert pour les tout-petits")]),
    ("photos des immeubles", "public", [("occupai.proposal", "Exposition « Nos immeubles racontent »")]),
    ("tableur file d'attente", "agent", [
        ("bricolages.bricolage", "Tableur de gestion de la file d'attente à l'état civil"),
        ("bricolages.bricolage", "File d'attente de l'état civil, avec écran d'appel et temps estimé")]),
    ("QR code idées", "agent", [("bricolages.bricolage", "Boîte à idées des agents par QR code")]),
    ("clés des salles", "agent", [("bricolages.bricolage", "Registre des clés et des salles prêtées")]),
    ("publipostage", "agent", [("bricolages.bricolage", "Macro de publipostage des lettres de rendez-vous")]),
    ("facile à lire", "agent", [("bricolages.bricolage", "Modèle de courrier facile à lire et à comprendre")]),
    ("signaletique du hall", "agent", [("bricolages.bricolage", "Kit de signalétique du hall en carton plume")]),
]


def evaluate(verbose=False):
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q

    from cms.models import Mairie, User
    from search.models import SearchEntry
    from search.query import SearchQuery
    from search.selectors import search_results

    mairie = Mairie.objects.get(slug="paris19")
    users = {"public": AnonymousUser(), "agent": User.objects.get(username="agent")}
    known = set(SearchEntry.objects.filter(Q(mairie="paris19") | Q(mairie__isnull=True))
                .values_list("type", "title"))
    rows, missing_labels, leaks = [], [], 0
    for text, who, expected in LABELLED:
        started = time.perf_counter()
        results = search_results(user=users[who], mairie=mairie, query=SearchQuery.build(text=text, page_size=10))
        elapsed = time.perf_counter() - started
        found = [(hit.type, hit.title) for hit in results.hits]
        if who == "public":
            leaks += sum(1 for hit in results.hits if hit.type.startswith("bricolages."))
        missing_labels += [label for label in expected if label not in known]
        ranks = [found.index(label) + 1 for label in expected if label in found]
        recall = len(ranks) / len(expected)
        mrr = 1 / min(ranks) if ranks else 0.0
        rows.append({"query": text, "who": who, "recall": recall, "rr": mrr, "ranks": ranks, "ms": elapsed * 1000,
                     "match": results.match, "count": results.count})
        if verbose:
            print(f"{recall:5.2f} {mrr:5.2f}  {text!r:40} ranks={ranks} of {len(expected)} "
                  f"({results.count} found, {results.match})")
    return {
        "queries": len(rows),
        "recall_at_10": sum(r["recall"] for r in rows) / len(rows),
        "mrr": sum(r["rr"] for r in rows) / len(rows),
        "perfect": sum(1 for r in rows if r["recall"] == 1),
        "zero": [r["query"] for r in rows if r["recall"] == 0],
        "partial": [r["query"] for r in rows if 0 < r["recall"] < 1],
        "missing_labels": sorted({f"{t}: {title}" for t, title in missing_labels}),
        "leaks": leaks,
        "mean_ms": sum(r["ms"] for r in rows) / len(rows),
    }


def child(args):
    setup_django(args.database_url, args.search_backend)
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report = evaluate(args.verbose)
    print(json.dumps(report))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true")
    add_child_arguments(parser)
    args = parser.parse_args()
    if args.child:
        return child(args)
    print(f"{len(LABELLED)} labelled queries over the demo content (seed_demo)\n")
    reports = run_children(Path(__file__), default_targets("search_quality"), ["--verbose"] if args.verbose else [])
    print()
    print(f"{'backend':<32} {'recall@10':>9} {'MRR':>6} {'all found':>10} {'leaks':>6} {'mean ms':>8}")
    for r in reports:
        print(f"{r['label']:<32} {r['recall_at_10']:>9.3f} {r['mrr']:>6.3f} {r['perfect']:>6}/{r['queries']:<3} "
              f"{r['leaks']:>6} {r['mean_ms']:>8.1f}")
    for r in reports:
        if r["zero"] or r["partial"] or r["missing_labels"]:
            print(f"\n{r['label']}:")
            if r["zero"]:
                print("  nothing relevant in the top 10: " + "; ".join(r["zero"]))
            if r["partial"]:
                print("  some relevant documents missed: " + "; ".join(r["partial"]))
            if r["missing_labels"]:
                print("  labels absent from the demo content: " + "; ".join(r["missing_labels"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
