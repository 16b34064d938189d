"""`python -m tracuu.api.cli`: the `tracuu` command."""

from . import main

main()
