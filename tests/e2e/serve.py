"""Serves a folder on 127.0.0.1 as GitHub Pages does for the measures that matter here: text
files (HTML, CSS, SVG, XML, JSON, CSV, plain text) gzip-compressed when the browser accepts it,
so that page weights count the bytes a reader actually downloads.

    python3 serve.py DIR    # prints "Serving HTTP on 127.0.0.1 port N" like http.server
"""

import functools
import gzip
import http.server
import io
import os
import sys

COMPRESSED = ("text/", "image/svg+xml", "application/json", "application/xml",
              "application/atom+xml", "application/javascript")


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not wants or not ctype.startswith(COMPRESSED):
            return super().do_GET()
        # Let http.server resolve the file (index.html, 404, redirects), then compress its body.
        body = io.BytesIO()
        real = self.wfile
        self.wfile = body
        try:
            super().do_GET()
        finally:
            self.wfile = real
        raw = body.getvalue()
        head, sep, payload = raw.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = lines[0]
        if not status.split(b" ")[1].startswith(b"2") or not sep:
            real.write(raw)
            return
        packed = gzip.compress(payload, compresslevel=6, mtime=0)
        kept = [l for l in lines[1:] if not l.lower().startswith(b"content-length:")]
        kept += [b"Content-Encoding: gzip", b"Content-Length: " + str(len(packed)).encode(),
                 b"Vary: Accept-Encoding"]
        real.write(b"\r\n".join([status] + kept) + b"\r\n\r\n" + packed)


def main():
    directory = sys.argv[1]
    handler = functools.partial(Handler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(f"Serving HTTP on 127.0.0.1 port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
