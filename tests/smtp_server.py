#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for rankpress's tests (tests/bulletin.rs).

STARTTLS is required, with a certificate for 127.0.0.1 issued by a throwaway CA (made with the
`trustme` package if installed, else with the `openssl` command; the CA's PEM is written to
--ca-out for RANKPRESS_SMTP_CA), and AUTH PLAIN/LOGIN with one user name and password is
required before MAIL FROM.

Each accepted message is written to --dir as NNN.eml, and a line of JSON
{"file", "mail_from", "rcpt_tos"} is appended to --dir/received.jsonl.
With --accept N the server accepts N messages, answers the next DATA with a 421 and shuts down
(the "server dies part-way" case). With --hang-after N it records message N+1 but never answers
its DATA (the "client killed while a message is in flight" case). With --die-at N the whole
server process exits abruptly (no reply, nothing recorded) when the data of message N has
arrived (the "server killed mid-DATA" case). With --plain it is a local test relay like
`python3 -m aiosmtpd -n`, as the site `rankpress init` writes is set up for: no STARTTLS, no AUTH.

Prints "PORT <n>" on stdout once it listens; stops on SIGTERM or when stdin closes.
Needs: pip install aiosmtpd (and trustme, or the openssl command)
"""

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import tempfile
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


# aiosmtpd logs a deprecation warning of its own on every AUTH.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def tls_context(ca_out, how):
    """A server TLS context for 127.0.0.1 signed by a fresh CA whose PEM goes to ca_out."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    if how in ("auto", "trustme"):
        try:
            import trustme
        except ImportError:
            if how == "trustme":
                raise
        else:
            ca = trustme.CA()
            ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
            ca.cert_pem.write_to_path(ca_out)
            return ctx
    d = tempfile.mkdtemp(prefix="smtp-test-certs-")
    p = lambda n: os.path.join(d, n)

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", p("ca.key"), "-out", p("ca.pem"), "-subj", "/CN=rankpress test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("srv.key"), "-out", p("srv.csr"),
        "-subj", "/CN=127.0.0.1")
    with open(p("ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", p("srv.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
        "-CAcreateserial", "-days", "2", "-out", p("srv.pem"), "-extfile", p("ext.cnf"))
    ctx.load_cert_chain(p("srv.pem"), p("srv.key"))
    with open(p("ca.pem"), "rb") as src, open(ca_out, "wb") as dst:
        dst.write(src.read())
    return ctx


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
    ap.add_argument("--hang-after", type=int, default=None,
                    help="record message N+1 as received but never answer its DATA (a client killed in flight)")
    ap.add_argument("--die-at", type=int, default=None,
                    help="exit at once, recording and answering nothing, on the data of message N (1-based)")
    ap.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (port 465 style)")
    ap.add_argument("--certs", choices=["auto", "trustme", "openssl"], default="auto")
    ap.add_argument("--plain", action="store_true", help="no STARTTLS and no AUTH (a local test relay)")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    ctx = tls_context(args.ca_out, args.certs)

    stop = threading.Event()

    class Handler:
        count = 0
        datas = 0

        async def handle_DATA(self, server, session, envelope):
            Handler.datas += 1
            if args.die_at is not None and Handler.datas >= args.die_at:
                os._exit(9)  # like SIGKILL: no reply, connection reset
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
                    "tls": session.ssl is not None or args.implicit_tls,
                    "auth": session.authenticated,
                }) + "\n")
            if args.hang_after is not None and Handler.count > args.hang_after:
                await asyncio.sleep(3600)
            return "250 2.0.0 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == args.user.encode()
            and auth_data.password == args.password.encode()
        )
        return AuthResult(success=ok, handled=False)

    port = free_port()
    if args.plain:
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    else:
        tls = dict(ssl_context=ctx) if args.implicit_tls else dict(tls_context=ctx, require_starttls=True)
        controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=port,
            authenticator=authenticator,
            auth_required=True,
            # aiosmtpd only notices STARTTLS; with implicit TLS the channel is encrypted anyway.
            auth_require_tls=not args.implicit_tls,
            **tls,
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
