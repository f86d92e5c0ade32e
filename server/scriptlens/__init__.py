"""scriptlens: see why each line of a Fountain screenplay is there, and keep its cast continuous."""

from scriptlens.fountain.model import Script
from scriptlens.fountain.parser import parse

__version__ = "0.1.0"
__all__ = ["Script", "__version__", "parse"]
