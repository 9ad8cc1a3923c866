import secrets

# No 0/O, 1/I/L, U: a code read aloud over the phone to the hotline cannot be misheard.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{body[:4]}-{body[4:]}"
