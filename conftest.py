"""Repo-wide pytest setup: tests run with development settings unless told otherwise."""

import os

os.environ.setdefault("DEBUG", "1")
