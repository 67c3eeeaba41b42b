"""pilot-tui: tells an AI team whether its pilot is ready for production, and what to fix first."""

__version__ = "0.1.0"
