"""Domain errors that services raise and views turn into answers."""


class DomainError(Exception):
    """Base for errors a person can be told about."""


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class Invalid(DomainError):
    """Input that breaks a rule; field names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Overlap(Invalid):
    """Clashes with what is already there (e.g. another shift at that time): a 409 in the API."""


class SignInLinkInvalid(DomainError):
    """kind is 'unknown', 'used' or 'expired'."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind
