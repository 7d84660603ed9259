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


class Conflict(Invalid):
    """Clashes with what is already there, or with a change made at the same time: a 409 in the API."""


class Overlap(Conflict):
    """Another shift of the same worker at that time."""


class SignInLinkInvalid(DomainError):
    """kind is 'unknown', 'used' or 'expired'."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class DeviceReused(DomainError):
    """A device cookie's secret that was already rotated out came back: a copy of the cookie is
    in use somewhere. The device has been signed out."""
