#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for rankpress's tests (tests/bulletin.rs).

STARTTLS is required, with a certificate for 127.0.0.1 issued by a throwaway CA (made with
`trustme`; its PEM is written to --ca-out for RANKPRESS_SMTP_CA), and AUTH PLAIN/LOGIN with one
user name and password is required before MAIL FROM.

Each accepted message is written to --dir as NNN.eml, and a line of JSON
{"file", "mail_from", "rcpt_tos"} is appended to --dir/received.jsonl.
With --accept N the server accepts N messages, answers the next DATA with a 421 and shuts down
(the "server dies part-way" case).

Prints "PORT <n>" on stdout once it listens; stops on SIGTERM or when stdin closes.
Needs: pip install aiosmtpd trustme
"""

import argparse
import json
import logging
import os
import socket
import ssl
import sys
import threading
import time

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


# aiosmtpd logs a deprecation warning of its own on every AUTH.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--ca-out", required=True)
    ap.add_argument("--user", default="tester")
    ap.add_argument("--password", default="s3cret")
    ap.add_argument("--accept", type=int, default=None)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(args.ca_out)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)

    stop = threading.Event()

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            if args.accept is not None and Handler.count >= args.accept:
                stop.set()
                return "421 4.3.2 test server shutting down"
            Handler.count += 1
            name = f"{Handler.count:03d}.eml"
            with open(os.path.join(args.dir, name), "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with open(os.path.join(args.dir, "received.jsonl"), "a") as f:
                f.write(json.dumps({
                    "file": name,
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "tls": session.ssl is not None,
                    "auth": session.authenticated,
                }) + "\n")
            return "250 2.0.0 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == args.user.encode()
            and auth_data.password == args.password.encode()
        )
        return AuthResult(success=ok, handled=False)

    port = free_port()
    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        tls_context=ctx,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    print(f"PORT {port}", flush=True)

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    # Let the 421 reach the client, then go away for good.
    time.sleep(0.2)
    controller.stop()


if __name__ == "__main__":
    main()
