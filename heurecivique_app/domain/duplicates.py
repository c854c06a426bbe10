"""Likely duplicate beneficiaries: the same person typed twice by two referents.

Pure. A match is the same normalised name AND (the same phone OR the same
normalised address): a namesake elsewhere in town is not flagged, and neither is
a neighbour sharing a landline.
"""

from __future__ import annotations

import re
import unicodedata

# Civilities and filler words that vary between two typings of one person.
_NAME_FILLERS = frozenset({"m", "mr", "mme", "mlle", "madame", "monsieur", "mademoiselle",
                           "mrs", "ms", "miss", "dr"})
_ADDRESS_WORDS = {"bd": "boulevard", "av": "avenue", "pl": "place", "r": "rue",
                  "imp": "impasse", "ch": "chemin", "st": "saint", "ste": "sainte"}
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold_words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return [word for word in _NON_WORD.split(plain.lower()) if word]


def normalise_name(name: str) -> str:
    """``"Mme Jeanne  LE-ROUX"`` → ``"jeanne le roux"``: civility, case, accents, dashes."""
    return " ".join(word for word in fold_words(name) if word not in _NAME_FILLERS)


def normalise_address(address: str) -> str:
    """``"12, R. Baudrairie 35500 Vitré"`` → ``"12 rue baudrairie 35500 vitre"``."""
    return " ".join(_ADDRESS_WORDS.get(word, word) for word in fold_words(address))


def is_likely_duplicate(
    *, name: str, phone: str | None, address: str,
    other_name: str, other_phone: str | None, other_address: str,
) -> bool:
    """Whether two beneficiaries are probably one person (phones already in E.164)."""
    if not normalise_name(name) or normalise_name(name) != normalise_name(other_name):
        return False
    same_phone = bool(phone) and phone == other_phone
    same_address = bool(normalise_address(address)) and (
        normalise_address(address) == normalise_address(other_address))
    return same_phone or same_address
