"""Re-exports the package's module while it is split by subject."""

from .plans import *  # noqa: F403
