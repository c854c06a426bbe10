"""The Vitré demo data set, as plain data: places, people and missions.

``VITRE`` bundles it for the loader (``demo.seed``); ``demo.fougeres`` is the
département's second commune and its coordinator.

Neighbourhoods and streets are Vitré's own; centroids are approximate. People
are invented. Beneficiaries' phone numbers lie in the 02 61 91 range that ARCEP
reserves for fiction, so no real line is ever called. Mission dates are given
relative to the day of loading (see ``demo.seed``).
"""

from __future__ import annotations

from dataclasses import dataclass

from heurecivique_app.domain.enums import Category as Cat
from heurecivique_app.domain.enums import Channel, Role
from heurecivique_app.domain.enums import MissionStatus as St
from heurecivique_app.domain.enums import VolunteerStatus as Vs

DEMO_PASSWORD = "heure-civique"
DOMAIN = "vitre.demo"
CITY = "35500 Vitré"

# (slug, name, lat, lon, radius in metres): approximate centres of real quarters.
NEIGHBOURHOODS: tuple[tuple[str, str, float, float, int], ...] = (
    ("centre-historique", "Centre historique", 48.1236, -1.2085, 450),
    ("rachapt", "Rachapt", 48.1266, -1.2112, 500),
    ("sainte-croix", "Sainte-Croix", 48.1212, -1.2148, 550),
    ("saint-martin", "Saint-Martin", 48.1248, -1.2010, 650),
    ("bourg-aux-moines", "Bourg-aux-Moines", 48.1226, -1.2182, 550),
    ("tertres-noirs", "Les Tertres Noirs", 48.1292, -1.2150, 700),
    ("ronciniere", "La Roncinière", 48.1135, -1.2035, 800),
)

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Person:
    """An account. ``login`` is the part of the e-mail before ``@`` and ``domain``."""

    login: str
    name: str
    role: Role = Role.VOLUNTEER
    hood: str | None = None
    skills: tuple[Cat, ...] = ()
    slots: str = ""  # "mon:morning sat:afternoon"
    status: Vs = Vs.ACTIVE
    domain: str = DOMAIN
    # Offers to help in the département's other communes too (the département pool).
    pool: bool = False
    max_km: float = 2.0

    @property
    def email(self) -> str:
        return f"{self.login}@{self.domain}"

    def availability(self) -> dict[str, list[str]]:
        days: dict[str, list[str]] = {}
        for item in self.slots.split():
            day, slot = item.split(":")
            days.setdefault(day, []).append(slot)
        return {day: days[day] for day in _WEEKDAYS if day in days}


REFERENT = Person("referent", "Sandrine Gérard", Role.REFERENT)

# The town hall's administrator: manages the staff (/console/staff).
MAIRIE = Person("mairie", "Hélène Lemoine", Role.COMMUNE_ADMIN)

PEOPLE: tuple[Person, ...] = (
    REFERENT,
    MAIRIE,
    # Relays: « Vitréens attentionnés », young members of the youth council.
    Person("relais", "Lucas Morel", Role.RELAY, "rachapt",
           (Cat.DIGITAL, Cat.CLEANUP), "wed:afternoon sat:morning"),
    Person("relais2", "Inès Barbier", Role.RELAY, "saint-martin",
           (Cat.COLLECTIVE_EVENT, Cat.VISIT), "sat:afternoon sun:morning"),
    Person("volontaire", "Camille Martin", hood="centre-historique",
           skills=(Cat.SHOPPING, Cat.VISIT, Cat.DIGITAL),
           slots="mon:morning wed:afternoon sat:morning"),
    Person("voisine", "Nathalie Rouxel", hood="centre-historique",
           skills=(Cat.VISIT, Cat.WALK), slots="tue:afternoon thu:afternoon"),
    Person("volontaire2", "Thomas Hamon", hood="rachapt",
           skills=(Cat.DIY, Cat.GARDENING, Cat.CARPOOL), slots="sat:morning sun:morning"),
    Person("julien.gicquel", "Julien Gicquel", hood="centre-historique",
           skills=(Cat.CARPOOL, Cat.SHOPPING), slots="mon:evening fri:evening sat:afternoon"),
    Person("francoise.renaud", "Françoise Renaud", hood="centre-historique",
           skills=(Cat.VISIT, Cat.WALK), slots="mon:afternoon tue:morning thu:morning"),
    Person("marie.legoff", "Marie Le Goff", hood="rachapt",
           skills=(Cat.VISIT, Cat.WALK, Cat.SHOPPING), slots="wed:morning sat:morning"),
    Person("olivier.texier", "Olivier Texier", hood="rachapt",
           skills=(Cat.CARPOOL, Cat.SHOPPING), slots="tue:evening sat:afternoon"),
    Person("antoine.pichon", "Antoine Pichon", hood="saint-martin",
           skills=(Cat.DIY, Cat.GARDENING), slots="sat:morning sat:afternoon"),
    Person("claire.guerin", "Claire Guérin", hood="saint-martin",
           skills=(Cat.DIGITAL, Cat.VISIT), slots="wed:afternoon thu:evening"),
    Person("hugo.tessier", "Hugo Tessier", hood="sainte-croix",
           skills=(Cat.CLEANUP, Cat.COLLECTIVE_EVENT, Cat.CARPOOL), slots="sat:morning"),
    Person("emma.jouan", "Emma Jouan", hood="sainte-croix",
           skills=(Cat.SHOPPING, Cat.WALK), slots="mon:afternoon fri:afternoon"),
    Person("pierre.chevalier", "Pierre Chevalier", hood="bourg-aux-moines",
           skills=(Cat.GARDENING, Cat.DIY), slots="tue:morning thu:morning"),
    Person("lea.herve", "Léa Hervé", hood="bourg-aux-moines",
           skills=(Cat.DIGITAL, Cat.COLLECTIVE_EVENT), slots="wed:afternoon sun:afternoon"),
    Person("yannick.leroux", "Yannick Le Roux", hood="tertres-noirs",
           skills=(Cat.CARPOOL, Cat.DIY), slots="mon:morning sat:morning"),
    Person("sophie.perrin", "Sophie Perrin", hood="tertres-noirs",
           skills=(Cat.VISIT, Cat.SHOPPING), slots="thu:afternoon sun:afternoon"),
    Person("nicolas.bertin", "Nicolas Bertin", hood="ronciniere",
           skills=(Cat.CLEANUP, Cat.GARDENING), slots="sat:morning sun:morning"),
    Person("manon.maillard", "Manon Maillard", hood="ronciniere",
           skills=(Cat.COLLECTIVE_EVENT, Cat.VISIT), slots="wed:evening sat:afternoon"),
    Person("chloe.boucher", "Chloé Boucher", hood="saint-martin",
           skills=(Cat.SHOPPING, Cat.WALK), slots="sun:afternoon", status=Vs.PENDING),
    Person("mathis.collin", "Mathis Collin", hood="ronciniere",
           skills=(Cat.CLEANUP,), slots="sat:morning", status=Vs.PENDING),
    # Signed up lately, waiting for their interview at the CCAS (the pool's first filter).
    Person("gaelle.lebrun", "Gaëlle Lebrun", hood="rachapt",
           skills=(Cat.VISIT, Cat.DIGITAL), slots="tue:afternoon sat:afternoon",
           status=Vs.PENDING),
    Person("romain.daniel", "Romain Daniel", hood="centre-historique",
           skills=(Cat.DIY, Cat.CARPOOL), slots="wed:evening sun:morning", status=Vs.PENDING),
    Person("bernard.lemaitre", "Bernard Lemaître", hood="sainte-croix",
           skills=(Cat.CARPOOL, Cat.GARDENING), slots="tue:morning", status=Vs.PAUSED),
)

# (full name, neighbourhood, phone, address, access notes): invented people.
BENEFICIARIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Yvonne Lemarié", "centre-historique", "+33261910101", f"14 rue Baudrairie, {CITY}",
     "2e étage sans ascenseur ; sonner longtemps, elle entend mal."),
    ("Marcel Bouvier", "centre-historique", "+33261910102", f"3 rue d'Embas, {CITY}",
     "Se déplace avec un déambulateur."),
    ("Odette Fournel", "centre-historique", "+33261910103", f"21 rue Poterie, {CITY}",
     "Code de la porte donné par téléphone."),
    ("Jean-Claude Rivière", "rachapt", "+33261910104", f"18 rue du Rachapt, {CITY}",
     "Maison avec escalier extérieur, passer par le jardin."),
    ("Simone Aubry", "rachapt", "+33261910105", f"42 rue du Rachapt, {CITY}", ""),
    ("Gérard Pelletier", "saint-martin", "+33261910106", f"27 rue de Paris, {CITY}",
     "Malvoyant : se présenter de vive voix."),
    ("Paulette Hardy", "saint-martin", "+33261910107", f"58 rue de Paris, {CITY}", ""),
    ("Henriette Marchand", "sainte-croix", "+33261910108", f"9 rue Sainte-Croix, {CITY}",
     "Rez-de-chaussée, sonnette à gauche."),
    ("Raymond Josse", "bourg-aux-moines", "+33261910109",
     f"6 rue du Bourg-aux-Moines, {CITY}", ""),
    ("Lucienne Ménard", "tertres-noirs", "+33261910110", f"35 rue de Fougères, {CITY}",
     "Chien calme dans la cour."),
    ("Karim Benali", "ronciniere", "+33261910111", f"12 boulevard des Rochers, {CITY}",
     "En fauteuil roulant ; appartement accessible, interphone « Benali »."),
)

NOT_AVAILABLE = "Pas disponible ce jour-là."
TOWN_HALL = f"Hôtel de ville, 5 place du Château, {CITY}"
NEXT_CHRISTMAS = "next-christmas"
LAST_CHRISTMAS = "last-christmas"


@dataclass(frozen=True)
class MissionSpec:
    """One demo mission. No beneficiary means a collective action at ``meeting_point``."""

    title: str
    hood: str
    category: Cat
    status: St
    when: int | str  # days from today (local calendar), or NEXT/LAST_CHRISTMAS
    at: str = "10:00"
    minutes: int = 60
    beneficiary: str | None = None
    description: str = ""
    channel: Channel = Channel.PHONE
    capacity: int = 1
    accepted: tuple[str, ...] = ()
    declined: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    meeting_point: str = ""
    # Signed up once it was full (collective actions): in this order on the waiting list.
    waitlisted: tuple[str, ...] = ()


M = MissionSpec
MISSIONS: tuple[MissionSpec, ...] = (
    # Centre historique
    M("Courses au marché", "centre-historique", Cat.SHOPPING, St.OPEN, 3, "09:30",
      60, "Yvonne Lemarié", "Fruits, légumes et pain au marché ; liste préparée à l'avance.",
      declined=("julien.gicquel",)),
    M("Visite de convivialité et partie de belote", "centre-historique", Cat.VISIT, St.OPEN, 4,
      "15:00", 60, "Marcel Bouvier",
      "Sort peu depuis l'hiver et aime jouer aux cartes."),
    M("Prise en main de la tablette", "centre-historique", Cat.DIGITAL, St.OPEN, 6, "14:30", 45,
      "Odette Fournel", "Appeler ses petits-enfants en visio ; la tablette est déjà configurée.",
      Channel.FLYER),
    M("Promenade au jardin du Parc", "centre-historique", Cat.WALK, St.FULL, 2, "16:00", 60,
      "Marcel Bouvier", "Marcher à son rythme et s'asseoir sur un banc.",
      accepted=("francoise.renaud",)),
    M("Pharmacie et boulangerie", "centre-historique", Cat.SHOPPING, St.DONE, -3, "11:00", 30,
      "Yvonne Lemarié", "Ordonnance déjà transmise à la pharmacie.",
      accepted=("julien.gicquel",)),
    M("Lecture du journal à voix haute", "centre-historique", Cat.VISIT, St.CLOSED, -40, "10:30",
      60, "Odette Fournel", "Lire la Chronique républicaine et discuter des nouvelles.",
      accepted=("volontaire",)),
    # Past its date with a volunteer: the referent's follow-up is due. Mme Lemarié's third
    # shopping request in a few weeks: flagged as recurring.
    M("Aide aux courses du samedi", "centre-historique", Cat.SHOPPING, St.FULL, -1, "10:00",
      60, "Yvonne Lemarié", "Courses de la semaine au supermarché du centre.",
      accepted=("volontaire",)),
    M("Accueil au forum des associations", "centre-historique", Cat.COLLECTIVE_EVENT, St.FULL,
      10, "09:00", 180, None, "Accueillir le public et orienter les visiteurs vers les stands.",
      Channel.IN_PERSON, 2, accepted=("voisine", "julien.gicquel"), waitlisted=("lea.herve",),
      meeting_point=TOWN_HALL),
    M("Changer une ampoule au plafond", "centre-historique", Cat.DIY, St.DRAFT, 8, "11:00", 30,
      "Marcel Bouvier", "À confirmer : ampoule à acheter avant le passage.", Channel.IN_PERSON),
    M("Collecte des boîtes cadeaux solidaires de Noël", "centre-historique",
      Cat.COLLECTIVE_EVENT, St.OPEN, NEXT_CHRISTMAS, "14:00", 180, None,
      "Recevoir les boîtes déposées par les habitants, vérifier leur contenu et les trier "
      "par destinataire.", Channel.IN_PERSON, 12,
      accepted=("julien.gicquel", "lea.herve", "manon.maillard"), meeting_point=TOWN_HALL),
    M("Boîtes cadeaux de Noël : tri et distribution", "centre-historique", Cat.COLLECTIVE_EVENT,
      St.CLOSED, LAST_CHRISTMAS, "14:00", 120, None,
      "Trier les boîtes collectées et les remettre aux associations caritatives.",
      Channel.IN_PERSON, 5, accepted=("volontaire", "voisine", "julien.gicquel", "lea.herve",
                                      "marie.legoff"), meeting_point=TOWN_HALL),
    M("Assesseurs pour le bureau de vote", "centre-historique", Cat.COLLECTIVE_EVENT, St.DRAFT,
      20, "08:00", 240, None, "Tenir le bureau de vote pendant une demi-journée.",
      Channel.IN_PERSON, 4, meeting_point=TOWN_HALL),
    # Rachapt
    M("Tailler une petite haie", "rachapt", Cat.GARDENING, St.OPEN, 3, "10:00", 90,
      "Jean-Claude Rivière", "Haie de troènes côté rue ; le taille-haie est fourni.",
      Channel.RELAY),
    M("Accompagner en voiture au marché", "rachapt", Cat.CARPOOL, St.OPEN, 5, "09:30", 60,
      "Simone Aubry", "Aller-retour au marché du centre, aide pour porter le panier."),
    M("Courses de la semaine", "rachapt", Cat.SHOPPING, St.FULL, 2, "17:00", 45, "Simone Aubry",
      "Liste courte, supermarché le plus proche.", accepted=("marie.legoff",)),
    M("Visite et café", "rachapt", Cat.VISIT, St.DONE, -6, "15:30", 60, "Jean-Claude Rivière",
      accepted=("olivier.texier",)),
    M("Marcher le long de la Vilaine", "rachapt", Cat.WALK, St.EXPIRED, -5, "10:00", 45,
      "Simone Aubry", "Personne n'était disponible à cette date."),
    M("Monter une étagère", "rachapt", Cat.DIY, St.CANCELLED, -2, "14:00", 60,
      "Jean-Claude Rivière", "Annulée : son fils s'en est chargé."),
    M("Covoiturage jusqu'au cimetière", "rachapt", Cat.CARPOOL, St.CLOSED, -60, "10:00", 90,
      "Simone Aubry", "Fleurir la tombe de son mari et revenir.", accepted=("volontaire2",)),
    # Saint-Martin
    M("Visite et lecture du courrier", "saint-martin", Cat.VISIT, St.OPEN, 4, "11:00", 45,
      "Gérard Pelletier", "Lire le courrier à voix haute ; aucune démarche administrative.",
      Channel.RELAY),
    M("Courses à la supérette", "saint-martin", Cat.SHOPPING, St.DONE, -10, "10:00", 45,
      "Paulette Hardy", accepted=("claire.guerin",)),
    M("Fixer une tringle à rideaux", "saint-martin", Cat.DIY, St.CLOSED, -25, "14:00", 60,
      "Gérard Pelletier", accepted=("antoine.pichon",)),
    M("Ratisser les feuilles du jardinet", "saint-martin", Cat.GARDENING, St.DRAFT, 12, "10:00",
      60, "Paulette Hardy", channel=Channel.FLYER),
    M("Installer une application de visio", "saint-martin", Cat.DIGITAL, St.EXPIRED, -9,
      "15:00", 45, "Paulette Hardy", channel=Channel.EMAIL),
    # Sainte-Croix
    M("Courses au marché couvert", "sainte-croix", Cat.SHOPPING, St.OPEN, 5, "10:00", 60,
      "Henriette Marchand"),
    M("Balade jusqu'à la promenade Saint-Yves", "sainte-croix", Cat.WALK, St.FULL, 6, "15:00",
      60, "Henriette Marchand", accepted=("emma.jouan",)),
    M("Visite et goûter", "sainte-croix", Cat.VISIT, St.DONE, -15, "16:00", 60,
      "Henriette Marchand", accepted=("emma.jouan",)),
    M("Conduite au club des aînés", "sainte-croix", Cat.CARPOOL, St.CANCELLED, -1, "14:00", 30,
      "Henriette Marchand", "Annulée : le club a reporté sa réunion.",
      withdrawn=("bernard.lemaitre",)),
    # Bourg-aux-Moines
    M("Désherber les jardinières", "bourg-aux-moines", Cat.GARDENING, St.OPEN, 7, "10:00", 60,
      "Raymond Josse"),
    M("Régler le téléphone portable", "bourg-aux-moines", Cat.DIGITAL, St.CLOSED, -45, "14:30",
      30, "Raymond Josse", accepted=("lea.herve",)),
    M("Aller chercher le pain", "bourg-aux-moines", Cat.SHOPPING, St.EXPIRED, -12, "09:00", 15,
      "Raymond Josse"),
    # Les Tertres Noirs
    M("Nettoyage du parc des Tertres Noirs", "tertres-noirs", Cat.CLEANUP, St.OPEN, 9, "09:30",
      120, None, "Gants et sacs fournis par la ville ; rendez-vous à l'entrée du parc.",
      Channel.IN_PERSON, 10,
      accepted=("relais", "hugo.tessier", "nicolas.bertin", "mathis.collin"),
      meeting_point=f"Parc des Tertres Noirs, {CITY}"),
    M("Conduite à un rendez-vous chez le dentiste", "tertres-noirs", Cat.CARPOOL, St.DONE, -4,
      "09:00", 60, "Lucienne Ménard", "Attendre sur place et raccompagner.",
      accepted=("yannick.leroux",)),
    M("Visite de convivialité", "tertres-noirs", Cat.VISIT, St.OPEN, 3, "15:00", 60,
      "Lucienne Ménard", declined=("sophie.perrin",)),
    # La Roncinière
    M("Monter un meuble en kit", "ronciniere", Cat.DIY, St.OPEN, 4, "14:00", 90, "Karim Benali",
      "Petite bibliothèque ; notice et outils sur place.", Channel.EMAIL),
    M("Opération quartier propre à la Roncinière", "ronciniere", Cat.CLEANUP, St.DONE, -20,
      "09:30", 120, None, "Ramassage des déchets dans les espaces verts du quartier.",
      Channel.RELAY, 6, accepted=("nicolas.bertin", "manon.maillard", "hugo.tessier",
                                  "mathis.collin", "pierre.chevalier", "yannick.leroux"),
      meeting_point=f"Boulevard des Rochers, {CITY}"),
    M("Aide à la fête de quartier", "ronciniere", Cat.COLLECTIVE_EVENT, St.CANCELLED, -8,
      "15:00", 180, None, "Annulée pour cause de tempête.", Channel.IN_PERSON, 8,
      meeting_point=f"Boulevard des Rochers, {CITY}"),
)
del M


# The fixed accounts the demo and its browser tests log in with.
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{login}@{DOMAIN}", role.value, DEMO_PASSWORD)
    for login, role in (("referent", Role.REFERENT), ("mairie", Role.COMMUNE_ADMIN),
                        ("volontaire", Role.VOLUNTEER),
                        ("voisine", Role.VOLUNTEER), ("volontaire2", Role.VOLUNTEER),
                        ("relais", Role.RELAY))
)


# --- relays, their reports, the public site ------------------------------------------------

# The town hall's contacts (the 02 61 91 range is reserved for fiction).
COMMUNE_CONTACT = ("02 61 91 35 00", "heure-civique@vitre.demo")

# Relay login -> the neighbourhoods a referent attached them to (the first is their board).
RELAY_HOODS: dict[str, tuple[str, ...]] = {
    "relais": ("rachapt", "sainte-croix"),
    "relais2": ("saint-martin",),
}


@dataclass(frozen=True)
class ReportSpec:
    """A relay report. ``mission`` names the demo mission a need became."""

    relay: str
    hood: str
    kind: str  # ReportKind
    category: str
    title: str
    description: str
    status: str  # ReportStatus
    days_ago: int
    answer: str = ""
    mission: str | None = None
    point: tuple[float, float] | None = None


REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec("relais", "rachapt", "need", Cat.GARDENING, "Tailler une petite haie",
               "Haie de troènes côté rue ; le taille-haie est fourni.", "mission", 9,
               "Merci Lucas, c'est sur le tableau du quartier.",
               mission="Tailler une petite haie"),
    ReportSpec("relais", "rachapt", "issue", "comfort", "Lampadaire éteint rue de Rachapt",
               "Le lampadaire en face du n° 12 ne s'allume plus depuis une semaine.", "new", 1,
               point=(48.12671, -1.21098)),
    ReportSpec("relais", "sainte-croix", "issue", "safety",
               "Passage piéton effacé devant l'école",
               "Les bandes blanches ne se voient presque plus ; les voitures ne s'arrêtent pas.",
               "forwarded", 6, "Transmis aux services techniques, marquage prévu ce mois-ci."),
    ReportSpec("relais", "rachapt", "issue", "health", "Voisine âgée qui ne sort plus",
               "Une dame seule au bout de l'impasse ne sort plus depuis l'hiver.", "closed", 20,
               "Merci Lucas : le CCAS l'a appelée, une visite de convivialité est prévue."),
    ReportSpec("relais2", "saint-martin", "need", Cat.VISIT, "Visite et lecture du courrier",
               "Lire le courrier à voix haute ; aucune démarche administrative.", "mission", 8,
               mission="Visite et lecture du courrier"),
    ReportSpec("relais2", "saint-martin", "issue", "comfort", "Dépôt sauvage près du square",
               "Des sacs et un vieux matelas au coin du square.", "new", 2),
)

# (title, text, days ago): success stories published by the referent (no photo in the demo).
STORIES: tuple[tuple[str, str, int], ...] = (
    ("1 000 boîtes cadeaux pour Noël",
     "Grâce à vous, plus de mille boîtes cadeaux ont été collectées, triées et remises aux "
     "associations caritatives de Vitré. Merci à toutes celles et ceux qui ont donné une "
     "heure (ou plus) de leur temps !", 40),
    ("Un café, une visite, un sourire",
     "Chaque semaine, Olivier rend visite à Jean-Claude, 84 ans, à Rachapt. « On parle du "
     "quartier d'avant, de la Vilaine, du marché. Une heure passe très vite. »", 5),
)


@dataclass(frozen=True)
class CommuneData:
    """One commune of the demo: what ``demo.seed`` loads for it, by natural keys."""

    insee: str
    name: str
    slug: str
    colour: str
    contact: tuple[str, str]
    neighbourhoods: tuple[tuple[str, str, float, float, int], ...]
    people: tuple[Person, ...]
    referent: Person
    beneficiaries: tuple[tuple[str, str, str, str, str], ...]
    missions: tuple[MissionSpec, ...]
    relay_hoods: dict[str, tuple[str, ...]]
    reports: tuple[ReportSpec, ...]
    stories: tuple[tuple[str, str, int], ...]


# Loaded first: the browser tests rely on Vitré's ids (missions/1 and so on).
VITRE = CommuneData(
    insee="35360", name="Vitré", slug="vitre",
    colour="#8c1d40",  # dark enough for white text (contrast above 7:1)
    contact=COMMUNE_CONTACT, neighbourhoods=NEIGHBOURHOODS, people=PEOPLE, referent=REFERENT,
    beneficiaries=BENEFICIARIES, missions=MISSIONS, relay_hoods=RELAY_HOODS, reports=REPORTS,
    stories=STORIES,
)
