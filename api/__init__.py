"""Every way in: the `tracuu` CLI (and later HTTP, the search page and MCP). Thin: no logic of its own."""
