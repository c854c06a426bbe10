"""Password hashing with argon2id."""

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, salt and parameters included."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # A hash of a random secret nobody knows, made with the same parameters as real
    # ones, so checking against it costs exactly what checking a real account costs.
    return hash_password(secrets.token_urlsafe(32))


def verify_nobody(password: str) -> bool:
    """Spend the time of a real check for an e-mail that has no account; always False.

    Without it an unknown e-mail is answered in a few milliseconds and a known one
    in a hundred, which tells anyone which addresses have an account.
    """
    verify_password(_dummy_hash(), password)
    return False
