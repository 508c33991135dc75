"""A one-port front for several ECR emulators, one per (account, region), as AWS looks to a client:
one endpoint, the account decided by the credentials and the region by the SigV4 scope.

    router = FleetRouter({("111111111111", "eu-west-1"): emulator.endpoint, ...},
                         base_account="111111111111")
    router.start(); ...; router.stop()       # router.endpoint: "http://127.0.0.1:PORT"

Requests signed with servers.ACCESS_KEY belong to `base_account`; temporary keys issued by the
emulators' STS AssumeRole ("ASIA" + 12-digit account + 4 characters, docs/emulator.md) to the
account they name. STS calls (scope service "sts") go to the base account's emulator of the
signing region. Requests are forwarded byte for byte with their Host header, so the emulators'
SigV4 verification is unchanged. `routed` counts requests per (account, region, service)."""
import collections
import http.client
import http.server
import re
import threading
import urllib.parse

import servers

_CREDENTIAL = re.compile(r"Credential=([^/]+)/[0-9]{8}/([^/]+)/([^/]+)/aws4_request")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "expect", "proxy-connection"}


class FleetRouter:
    def __init__(self, backends, base_account):
        self.backends = dict(backends)
        self.base_account = base_account
        self.routed = collections.Counter()
        self._lock = threading.Lock()
        router = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, headers, payload = router._forward(self.command, self.path, self.headers, body)
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def account_of(self, access_key):
        if access_key == servers.ACCESS_KEY:
            return self.base_account
        if access_key.startswith("ASIA") and len(access_key) == 20:
            return access_key[4:16]
        return None

    def _forward(self, method, path, headers, body):
        match = _CREDENTIAL.search(headers.get("Authorization", ""))
        if not match:
            return 400, [("Content-Type", "application/json")], \
                b'{"__type":"MissingAuthenticationTokenException","message":"router: no SigV4 credential"}'
        key, region, service = match.groups()
        account = self.base_account if service == "sts" else self.account_of(key)
        target = self.backends.get((account, region))
        if target is None:
            return 400, [("Content-Type", "application/json")], (
                '{"__type":"UnrecognizedClientException","message":"router: no emulator for account %s in %s"}'
                % (account, region)).encode()
        with self._lock:
            self.routed[(account, region, service)] += 1
        url = urllib.parse.urlsplit(target)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        try:
            forwarded = {name: value for name, value in headers.items() if name.lower() not in _HOP_BY_HOP}
            conn.request(method, path, body=body, headers=forwarded)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()
