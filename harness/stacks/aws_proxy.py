"""The AWS emulator as an HTTPS proxy: moto answers for the real AWS host names.

Run as ``python -m harness.stacks.aws_proxy [--port P]``. Clients keep boto3's normal endpoints
(``sqs.us-east-1.amazonaws.com`` ...) and reach moto through ``HTTPS_PROXY``, trusting moto's CA
(``AWS_CA_BUNDLE``): so a stack that runs here with no endpoint override at all (the aws stack)
is tested as it will run against real AWS. The first line on stdout is
``READY <proxy url> <ca bundle>``.

moto's Step Functions interpreter does not go through the proxy: it calls SQS, DynamoDB ...
directly at ``http://localhost:$MOTO_PORT`` and expects moto's server there, which picks the
service from the request's signature; the proxy picks it from the host name, which that call
lacks. So this process also serves moto's server app on a second loopback port, on the same
in-memory backends, and points ``MOTO_PORT`` at it. The engine additions
(``harness.engine.install()``) hold here as in ``harness.stacks.emulator``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from typing import Any

from harness.stacks import emulator_admin
from harness.stacks.emulator import prepare_engine, serve_until_stopped


def ca_bundle() -> str:
    """moto's CA certificate, which signs the proxy's certificates for the AWS host names."""
    from moto.moto_proxy.certificate_creator import CertificateCreator

    return str(CertificateCreator.cacert)


def _serve_interpreter_endpoint(admin_open: bool) -> int:
    """moto's server app on a free loopback port, in a thread; returns the port."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app: Any = DomainDispatcherApplication(create_backend_app)
    if not admin_open:
        app = emulator_admin.guard(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto-server", daemon=True).start()
    return int(server.server_address[1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)

    # Read at request time by moto: proxy mode on, the interpreter's endpoint set, before the
    # first request arrives.
    os.environ["TEST_PROXY_MODE"] = "true"
    from http.server import ThreadingHTTPServer

    from moto.moto_proxy.proxy3 import ProxyRequestHandler

    admin_open = prepare_engine("proxy")
    ProxyRequestHandler.validate()
    os.environ["MOTO_PORT"] = str(_serve_interpreter_endpoint(admin_open))

    handler = ProxyRequestHandler if admin_open else emulator_admin.guarded_proxy_handler(ProxyRequestHandler)
    proxy = ThreadingHTTPServer((args.host, args.port), handler)
    proxy.daemon_threads = True
    port = proxy.server_address[1]

    # moto's proxy logs every request at INFO: too much for a log file meant for failures.
    logging.getLogger("MOTO_PROXY").setLevel(logging.WARNING)
    serve_until_stopped(proxy, f"http://{args.host}:{port} {ca_bundle()}")


if __name__ == "__main__":
    sys.exit(main())
