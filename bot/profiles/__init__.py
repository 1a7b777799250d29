"""Municipality profiles: one TOML file per source municipality, loaded into frozen dataclasses.

The features never name a category code; they ask :mod:`bot.profiles.meaning`.
"""

from bot.profiles.loader import DEFAULT_PROFILE, ProfileError, default, load, names, shipped
from bot.profiles.model import Profile, Towards

__all__ = [
    "DEFAULT_PROFILE",
    "Profile",
    "ProfileError",
    "Towards",
    "default",
    "load",
    "names",
    "shipped",
]
