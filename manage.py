#!/usr/bin/env python
"""Django's manage.py, kept for habit; `policeplan` is the same command."""

from policeplan.cli import main

if __name__ == "__main__":
    main()
