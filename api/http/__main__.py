"""`python -m tracuu.api.http`: serve the API (as `tracuu serve`)."""

from ..server import serve

serve()
