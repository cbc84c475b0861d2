"""`python -m ingest`: the documented command that builds and keeps the library (see `library.cli`).

The command kept its name for scripts and CI; what it runs changes the corpus and the index
together, so it lives above both, in `library/`.
"""

from __future__ import annotations

import sys

from library.cli import main

if __name__ == "__main__":
    sys.exit(main())
