"""The interactive API docs at /docs (Swagger UI), served with no internet.

FastAPI's own /docs page loads Swagger UI's JavaScript and CSS from a public CDN (cdn.jsdelivr.net) and its
favicon from fastapi.tiangolo.com. The API runs on office networks that often cannot reach the internet,
where that page stays blank. Here the same page loads the same assets from the `fastapi-offline` package
(pinned in pyproject.toml), whose static folder ships Swagger UI 5 (which reads OpenAPI 3.1, as FastAPI
writes it): this module serves that folder at /docs-static and points the page at it. Only the folder is
used; the app stays a plain FastAPI (`create_app` turns FastAPI's own pages off with docs_url=None,
redoc_url=None, then calls `install_docs`).

There is no /redoc: ReDoc's bundle always loads the Redocly logo from cdn.redoc.ly (its side menu, with no
option to turn it off), so it cannot be served without asking the internet; /docs shows the same schema."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(str(files("fastapi_offline") / "static"))  # swagger-ui-bundle.js, swagger-ui.css, favicon.png
STATIC_URL = "/docs-static"
DOCS_URL, OAUTH2_REDIRECT_URL = "/docs", "/docs/oauth2-redirect"


def install_docs(app: FastAPI) -> None:
    """Register /docs (Swagger UI) and its OAuth2 redirect page, both out of the OpenAPI schema, with every
    asset from the installed package's folder mounted at /docs-static: the page works where the browser
    cannot reach a CDN, and asks no other host where it could. For the same reason Swagger UI's online
    validator is off (it would send the schema to validator.swagger.io). Call it on an app made with
    docs_url=None; the URLs honour the ASGI root_path, as FastAPI's own page does."""
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="docs-static")

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        base = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=base + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{base}{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{base}{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{base}{STATIC_URL}/favicon.png",
            oauth2_redirect_url=base + OAUTH2_REDIRECT_URL,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={"validatorUrl": None, **(app.swagger_ui_parameters or {})},
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
