"""askbot: ask questions of a folder of documents, in the terminal."""

__version__ = "0.1.0"

__all__ = ["__version__"]
