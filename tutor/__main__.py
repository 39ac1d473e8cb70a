"""`python -m tutor` is the `tutor` command."""
import sys

from .cli import main

sys.exit(main())
