"""Free-text analysis without Django: theme engines, agreement metrics and file I/O."""
