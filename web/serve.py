"""Serves the demo page and the built widget (web/dist) with a strict Content-Security-Policy.

    python web/serve.py --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005

Scripts and styles load only from this origin; the page may connect only to the
Rasa server. Started by scripts/run.sh beside Rasa; a site that embeds the widget
serves its own page and can serve web/dist from anywhere.
"""
from __future__ import annotations

import argparse
import html
import io
import mimetypes
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WEB = Path(__file__).resolve().parent
PUBLIC, DIST = WEB / "public", WEB / "dist"
mimetypes.add_type("application/json", ".map")


def content_security_policy(rasa_url: str) -> str:
    parts = urlsplit(rasa_url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src {parts.scheme}://{parts.netloc} {socket_scheme}://{parts.netloc}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


class Handler(SimpleHTTPRequestHandler):
    server_version, sys_version = "cart-assistant-demo", ""  # no version banner
    timeout = 30  # seconds a connection may sit idle or trickle a request; then it is closed
    def __init__(self, *args, page: bytes, csp: str, **kwargs):
        self.page, self.csp = page, csp
        super().__init__(*args, directory=str(DIST), **kwargs)

    def send_head(self):  # GET and HEAD
        if urlsplit(self.path).path in ("/", "/index.html"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.page)))
            self.end_headers()
            return io.BytesIO(self.page)
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404)

    def translate_path(self, path: str) -> str:
        # demo.css lives in public/, everything else (the widget build) in dist/
        public = PUBLIC / urlsplit(path).path.lstrip("/")
        if public.parent == PUBLIC and public.is_file():
            return str(public)
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def demo_page(widget_url: str, rasa_url: str) -> bytes:
    text = (PUBLIC / "index.html").read_text(encoding="utf-8")
    text = text.replace("%WIDGET_URL%", html.escape(widget_url)).replace("%RASA_URL%", html.escape(rasa_url))
    return text.encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    assert (DIST / "cart-widget.js").is_file(), "web/dist is missing: run `make web`"
    widget_url = f"http://{args.host}:{args.port}"
    handler = partial(Handler, page=demo_page(widget_url, args.rasa_url), csp=content_security_policy(args.rasa_url))
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"Demo page with the chat widget: {widget_url}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # Ctrl-C in `make run` reaches every server: stop without a traceback
            pass


if __name__ == "__main__":
    main()
