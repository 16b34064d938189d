"""The application core: one object (`tracuu.core.app.Tracuu`) that every door (CLI, HTTP, MCP) calls, and the
error vocabulary (`tracuu.core.errors`) every layer raises. Nothing is imported here, so a layer below can use
the errors without loading the core."""
