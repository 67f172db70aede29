"""The production settings (from the environment) plus one trivial view to compare against."""

from pledgewatch.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
