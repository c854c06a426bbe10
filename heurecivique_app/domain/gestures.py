"""Ideas of small gestures, shown on the commune's public site (message ids)."""

from heurecivique_app.domain.text import N_

SMALL_GESTURES: tuple[str, ...] = (
    N_("Say hello to the elderly neighbour you pass every day, and ask how they are."),
    N_("Bring back the bread or a parcel for a neighbour who cannot go out."),
    N_("Offer a lift to the market or the doctor's to someone without a car."),
    N_("Take a neighbour's bins out on collection day."),
    N_("Help someone fill in a form online or set up a video call with family."),
    N_("Go for a short walk with a person who no longer dares to go out alone."),
    N_("Pick up litter in your street with your children."),
    N_("Tell the town hall about a broken street light or a dangerous crossing."),
)

# The citizen's charter, in short (the full text is signed with the referent).
CHARTER_POINTS: tuple[str, ...] = (
    N_("I give one hour a month, freely, near my home."),
    N_("I respect the people I help, their privacy and their home."),
    N_("I keep to what was agreed and warn the referent if I cannot come."),
    N_("I never handle money, bank cards or medicines for the person."),
    N_("I tell the referent if something worries me."),
)
