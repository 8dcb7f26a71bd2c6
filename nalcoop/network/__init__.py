"""The Cooperative Network on Legal Information, becoming a package: its code moves here a piece at a time."""

from nalcoop.network.organizations import *  # noqa: F403
