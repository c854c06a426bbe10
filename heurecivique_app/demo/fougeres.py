"""The demo's second commune of Ille-et-Vilaine, Fougères, and the département's coordinator.

Loaded after Vitré (``demo.seed``), so Vitré's ids stay as they were. Neighbourhoods
are Fougères' own quarters with approximate centres; people are invented, and the
beneficiaries' phone numbers lie in the 02 61 91 range reserved for fiction. One
volunteer, Yann Lebreton, offered to help in the département's other communes: Vitré's
referents see him in their pool and in matching (the département pool).
"""

from __future__ import annotations

from heurecivique_app.demo.data import DEMO_PASSWORD, CommuneData, MissionSpec, Person
from heurecivique_app.domain.enums import Category as Cat
from heurecivique_app.domain.enums import Channel, Role
from heurecivique_app.domain.enums import MissionStatus as St
from heurecivique_app.domain.enums import VolunteerStatus as Vs

DOMAIN = "fougeres.demo"
CITY = "35300 Fougères"

REFERENT = Person("ccas", "Agnès Piel", Role.REFERENT, domain=DOMAIN)

# The département's coordinator: every commune of Ille-et-Vilaine, one at a time
# (the console's commune selector). An account belongs to a commune; this one to
# Fougères, so that Vitré's team and figures stay as the browser tests know them.
COORDINATOR = Person("departement", "Martine Le Bihan", Role.DEPARTEMENT_ADMIN,
                     domain="ille-et-vilaine.demo")

PEOPLE: tuple[Person, ...] = (
    REFERENT,
    COORDINATOR,
    # In the département pool, and ready to drive to Vitré (30 km).
    Person("benevole", "Yann Lebreton", hood="haute-ville",
           skills=(Cat.SHOPPING, Cat.CARPOOL, Cat.CLEANUP),
           slots="wed:afternoon sat:morning sun:morning", domain=DOMAIN, pool=True, max_km=30.0),
    Person("anne.riviere", "Anne Rivière", hood="chateau",
           skills=(Cat.VISIT, Cat.WALK, Cat.CLEANUP),
           slots="tue:afternoon thu:afternoon sat:morning", domain=DOMAIN),
    Person("paul.gautier", "Paul Gautier", hood="bonabry", skills=(Cat.DIGITAL, Cat.VISIT),
           slots="mon:afternoon wed:morning", domain=DOMAIN),
    Person("louise.bazin", "Louise Bazin", hood="bonabry", skills=(Cat.GARDENING,),
           slots="sat:afternoon", status=Vs.PENDING, domain=DOMAIN),
)

BENEFICIARIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Germaine Lebouc", "haute-ville", "+33261910201", f"8 rue Nationale, {CITY}",
     "Sonner deux fois."),
    ("Albert Morin", "chateau", "+33261910202", f"15 rue de la Pinterie, {CITY}", ""),
    ("Denise Gohier", "bonabry", "+33261910203", f"22 rue de Bonabry, {CITY}",
     "Appartement au premier étage, sans ascenseur."),
)

M = MissionSpec
MISSIONS: tuple[MissionSpec, ...] = (
    M("Courses du mardi", "haute-ville", Cat.SHOPPING, St.OPEN, 4, "10:00", 45,
      "Germaine Lebouc", "Liste courte, magasin du centre."),
    M("Partie de scrabble et café", "chateau", Cat.VISIT, St.OPEN, 5, "15:00", 60,
      "Albert Morin", "Aime les jeux de lettres et parler du quartier."),
    M("Prendre en main une liseuse", "bonabry", Cat.DIGITAL, St.FULL, 3, "14:30", 45,
      "Denise Gohier", "Charger des livres de la médiathèque.", accepted=("paul.gautier",)),
    M("Accompagner à la pharmacie", "haute-ville", Cat.WALK, St.DONE, -4, "11:00", 30,
      "Germaine Lebouc", accepted=("anne.riviere",)),
    M("Lecture du courrier et des journaux", "bonabry", Cat.VISIT, St.CLOSED, -30, "10:00",
      45, "Denise Gohier", accepted=("paul.gautier",)),
    M("Nettoyage des bords du Nançon", "chateau", Cat.CLEANUP, St.OPEN, 8, "09:30", 120, None,
      "Gants et sacs fournis ; rendez-vous au lavoir.", Channel.IN_PERSON, 8,
      accepted=("benevole", "anne.riviere"),
      meeting_point=f"Lavoir du Nançon, 1 rue de la Pinterie, {CITY}"),
)
del M

STORIES: tuple[tuple[str, str, int], ...] = (
    ("Les bords du Nançon tout propres",
     "Une matinée, huit volontaires et quarante sacs : merci à toutes et à tous !", 12),
)

FOUGERES = CommuneData(
    insee="35115", name="Fougères", slug="fougeres", colour="#1e4d8c",
    contact=("02 61 91 35 30", "heure-civique@fougeres.demo"),
    neighbourhoods=(
        ("haute-ville", "Haute-Ville", 48.3522, -1.1985, 500),
        ("chateau", "Bourg-Vieil et château", 48.3530, -1.2055, 450),
        ("bonabry", "Bonabry", 48.3600, -1.1930, 600),
    ),
    people=PEOPLE, referent=REFERENT, beneficiaries=BENEFICIARIES, missions=MISSIONS,
    relay_hoods={}, reports=(), stories=STORIES,
)

# Printed by ``manage seed`` after Vitré's.
ACCOUNTS: tuple[tuple[str, str, str], ...] = tuple(
    (person.email, person.role.value, DEMO_PASSWORD)
    for person in (REFERENT, COORDINATOR, PEOPLE[2]))
