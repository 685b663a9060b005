"""A development translation server with the LibreTranslate API shape, for tests and for
trying the composer without a real translation server (no network needed).

It does not translate: it answers ``[target] text`` (a pseudo-translation), so a writer
and a test can see which text went where. ``POST /translate`` with ``q``, ``source``,
``target`` (JSON or form data) → ``{"translatedText": …}``; an unsupported target gets
400 ``{"error": …}`` as LibreTranslate answers it; ``GET /languages`` lists the targets.

Run: ``python -m bondgenoot.lib.dev_translate_server --port 5000`` and start the app with
``MACHINE_TRANSLATION_URL=http://127.0.0.1:5000``.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk", "so"]  # like LibreTranslate: no Tigrinya


class Handler(BaseHTTPRequestHandler):
    requests: list[dict[str, str]] = []  # what was asked (tests check no name went out)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/languages":
            self._answer(200, [{"code": c, "name": c, "targets": LANGUAGES} for c in LANGUAGES])
        else:
            self._answer(404, {"error": "Not found"})

    def do_POST(self) -> None:
        if self.path != "/translate":
            self._answer(404, {"error": "Not found"})
            return
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            data = json.loads(raw or "{}")
        else:
            data = {k: v[0] for k, v in parse_qs(raw).items()}
        type(self).requests.append(data)
        target, text = data.get("target"), data.get("q")
        if not isinstance(text, str) or not text:
            self._answer(400, {"error": "Invalid request: missing q parameter"})
        elif target not in LANGUAGES:
            self._answer(400, {"error": f"{target} is not supported"})
        else:
            self._answer(200, {"translatedText": f"[{target}] {text}"})


def start(port: int = 0) -> ThreadingHTTPServer:
    """A running server on 127.0.0.1 (port 0: any free port); stop it with shutdown()."""
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"Pseudo-translation server at http://127.0.0.1:{args.port} (Ctrl+C stops it)")
    server.serve_forever()
