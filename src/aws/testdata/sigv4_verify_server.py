#!/usr/bin/env python3
"""Test-only HTTP server that checks each request's SigV4 signature with botocore's own signer
(an implementation independent of ours). Usage: sigv4_verify_server.py ACCESS_KEY SECRET [TOKEN]
Prints its port on the first stdout line, then serves on 127.0.0.1 until killed. Answers 200
{"verified": true, ...} when the Authorization header equals botocore's, else 400
InvalidSignatureException with both canonical requests (no secrets) in the message."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY, SECRET = sys.argv[1], sys.argv[2]
TOKEN = sys.argv[3] if len(sys.argv) > 3 else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        try:
            scope = auth.split("Credential=")[1].split(",")[0].split("/")
            signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
            region, service = scope[2], scope[3]
            headers = {name: self.headers[name] for name in signed if name not in ("x-amz-date", "x-amz-security-token")}
            request = AWSRequest(method="POST", url="http://" + self.headers["Host"] + self.path,
                                 data=body, headers=headers)
            request.context["timestamp"] = self.headers["X-Amz-Date"]
            signer = SigV4Auth(Credentials(ACCESS_KEY, SECRET, TOKEN), service, region)
            signer._modify_request_before_signing(request)
            canonical = signer.canonical_request(request)
            signature = signer.signature(signer.string_to_sign(request, canonical), request)
            signer._inject_signature_to_request(request, signature)
            expected = request.headers["Authorization"]
        except Exception as e:  # malformed Authorization: report, do not crash
            expected, canonical = "", "unparseable Authorization: %s" % e
        if auth == expected:
            status, answer = 200, {"verified": True, "bodyBytes": len(body),
                                   "target": self.headers.get("X-Amz-Target", "")}
        else:
            status, answer = 400, {"__type": "InvalidSignatureException",
                                   "message": "botocore canonical request:\n" + canonical}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
