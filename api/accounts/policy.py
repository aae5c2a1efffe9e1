"""What a staff username and password must be (the admin CLI enforces it)."""

import re

# 1 to 64 characters: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD_LENGTH = 12
MIN_DIFFERENT_CHARACTERS = 5
# The commonest long passwords (in Norway too), lower case. Long is not enough if it is on here.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678910111213",
        "qwertyuiop123",
        "qwertyuiopå",
        "qwertyuiopåæø",
        "passord12345",
        "passord123456",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "passordpassord",
        "sommer2024!!",
        "sommeren2025",
        "vinter2025!!",
        "velkommen123",
        "velkommen1234",
        "oslokommune1",
        "oslokommune123",
        "seniorveiviser",
        "seniorveiviser1",
        "iloveyou1234",
        "letmein12345",
        "administrator",
        "administrator1",
        "changeme1234",
        "trustno1trustno1",
        "correct horse battery staple",
    }
)


class AccountError(ValueError):
    """A request to create or change an account that cannot be done."""


def normalise_username(username: str) -> str:
    """Usernames are compared without case and surrounding spaces."""
    return username.strip().lower()


def check_username(username: str) -> None:
    """`username` (normalised) is 1 to 64 letters, digits, ".", "_" or "-"."""
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "a username has 1 to 64 characters: letters a-z, digits, '.', '_' or '-', "
            "and starts with a letter or digit"
        )


def check_password(password: str, username: str) -> None:
    """At least 12 characters besides surrounding spaces, not the username, not a common one."""
    core = password.strip()
    folded = core.casefold()
    if len(core) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters, "
            "not counting spaces at either end"
        )
    if len(set(folded)) < MIN_DIFFERENT_CHARACTERS:
        raise AccountError(
            f"the password must have at least {MIN_DIFFERENT_CHARACTERS} different characters"
        )
    if folded == username or (len(username) >= 3 and username in folded):
        raise AccountError("the password must not contain the username")
    if folded in COMMON_PASSWORDS:
        raise AccountError("that password is one of the most common ones; choose another")
