"""nalcoop/lazy.py: the activity packages and the registry load each module on the first use of one of its
names (start-up), yet every public name is there, and `stats` is the function, not the module."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import pytest

PACKAGES = ("agreements", "donations", "distribution", "network", "interns", "registry")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_of_a_package_is_reachable_and_listed(name):
    package = importlib.import_module(f"nalcoop.{name}")
    assert package.__all__, name
    for public in package.__all__:
        assert getattr(package, public) is not None, public
        assert public in dir(package)
    with pytest.raises(AttributeError):
        package.no_such_name  # noqa: B018


def test_a_package_s_function_wins_over_its_module_of_the_same_name_whichever_is_imported_first():
    probe = textwrap.dedent("""
        import sys
        import nalcoop.agreements.stats            # the module first, as the activity list might
        import nalcoop.interns.purge
        from nalcoop import agreements, interns
        from nalcoop.agreements import STATISTICS
        print(type(agreements.stats).__name__, type(interns.purge).__name__,
              type(sys.modules["nalcoop.agreements.stats"]).__name__, len(STATISTICS))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["function", "function", "module", "2"]


def test_a_listing_module_is_not_loaded_until_one_of_its_names_is_used():
    probe = textwrap.dedent("""
        import sys
        from nalcoop import agreements
        before = "nalcoop.agreements.imports" in sys.modules
        agreements.export_rows
        print(before, "nalcoop.agreements.imports" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
