"""entraide: collaborative mental health and peer support."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("entraide")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
