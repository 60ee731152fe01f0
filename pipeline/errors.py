"""The one base class of errors a user caused and can fix (bad input, missing file, bad setting).

Library code raises a subclass with a message that names the file, call or setting and the reason;
the command line prints the message without a traceback. Anything else is a bug.
"""


class CallqaError(Exception):
    """A problem the user can fix; ``str(error)`` is the whole message."""
