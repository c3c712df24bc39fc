"""piiscan: find personal data, map it against a privacy policy, report and track it."""

__version__ = "0.1.0"
