"""infracalc: the economics of serving large language models, in a terminal."""

__version__ = "0.1.0"
