"""The council registry (being cut into modules: everything is in lookup.py for this one commit)."""

from nalcoop.registry.lookup import *  # noqa: F403
from nalcoop.registry.lookup import BEGINNING, _candidate_label, _name_index  # noqa: F401
