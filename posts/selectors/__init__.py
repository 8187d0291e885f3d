"""Re-exports the package's module while it is split by subject."""

from .access import *  # noqa: F403
