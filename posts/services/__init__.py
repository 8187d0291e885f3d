"""Re-exports the package's module while it is split by subject."""

from .commitments import *  # noqa: F403
