"""The emulator's HTTP server keeps connections open, and only where the next request is safe."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hamcrest import assert_that, contains_string, equal_to, is_not

from harness.stacks.emulator_server import make_emulator_server


def _app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Answers ``<path> <body>``; ``/ignore`` leaves the body unread; ``/fail`` raises;
    ``/stream`` answers without a length."""
    path = environ["PATH_INFO"]
    if path == "/fail":
        raise RuntimeError("planted failure")
    body = b"" if path == "/ignore" else environ["wsgi.input"].read()
    answer = path.encode() + b" " + body
    if path in ("/short", "/long"):  # a Content-Length the body does not keep to
        declared = "10" if path == "/short" else "3"
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", declared)])
        return [b"12345"]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"part1-", b"part2"]
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(answer)))])
    return [answer]


@contextmanager
def _serving() -> Iterator[tuple[str, int]]:
    server = make_emulator_server("127.0.0.1", 0, _app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Connection:
    """A raw client socket: what is sent and received is exactly what is on the wire."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.sock = socket.create_connection(address, timeout=5)
        self.reader = self.sock.makefile("rb")

    def send(self, raw: bytes) -> None:
        self.sock.sendall(raw)

    def answer(self) -> tuple[str, dict[str, str], bytes]:
        status = self.reader.readline().decode().strip()
        headers = {}
        while (line := self.reader.readline().decode().strip()):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while (size := int(self.reader.readline().strip(), 16)):
                body += self.reader.read(size)
                self.reader.readline()
            self.reader.readline()
        else:
            body = self.reader.read(int(headers.get("content-length", "0")))
        return status, headers, body

    def closed_by_server(self) -> bool:
        return self.reader.read(1) == b""

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


@contextmanager
def _connected() -> Iterator[_Connection]:
    with _serving() as address:
        connection = _Connection(address)
        try:
            yield connection
        finally:
            connection.close()


def _post(path: str, body: bytes, *extra: str, version: str = "HTTP/1.1") -> bytes:
    head = [f"POST {path} {version}", "Host: localhost", f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def test_one_connection_serves_request_after_request() -> None:
    with _connected() as connection:
        for n in range(3):
            connection.send(_post("/echo", f"body-{n}".encode()))
            status, headers, body = connection.answer()
            assert_that(status, contains_string("200"))
            assert_that(body, equal_to(f"/echo body-{n}".encode()))
            assert_that(headers.get("connection"), is_not(equal_to("close")))


def test_a_body_the_application_left_unread_is_not_taken_for_the_next_request() -> None:
    with _connected() as connection:
        connection.send(_post("/ignore", b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"))
        assert_that(connection.answer()[2], equal_to(b"/ignore "))
        connection.send(_post("/echo", b"next"))
        assert_that(connection.answer()[2], equal_to(b"/echo next"))


def test_a_chunked_request_body_is_read_to_its_end() -> None:
    with _connected() as connection:
        chunks = b"4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n"
        connection.send(b"POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
        assert_that(connection.answer()[2], equal_to(b"/ignore "))
        connection.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
        assert_that(connection.answer()[2], equal_to(b"/echo abcdefg"))


def test_an_answer_without_a_length_is_sent_in_chunks_and_the_connection_stays() -> None:
    with _connected() as connection:
        connection.send(_post("/stream", b""))
        status, headers, body = connection.answer()
        assert_that((headers.get("transfer-encoding"), body), equal_to(("chunked", b"part1-part2")))
        connection.send(_post("/echo", b"after"))
        assert_that(connection.answer()[2], equal_to(b"/echo after"))


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(_post("/echo", b"x", version="HTTP/1.0"), id="http-1.0 client"),
        pytest.param(_post("/echo", b"x", "Connection: close"), id="client asks to close"),
        pytest.param(_post("/fail", b"x"), id="application error"),
        pytest.param(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", id="length not a number"),
    ],
)
def test_the_connection_closes_after_the_answer_where_going_on_is_not_safe(request_bytes: bytes) -> None:
    with _connected() as connection:
        connection.send(request_bytes)
        status, headers, _ = connection.answer()
        assert_that(headers.get("connection"), equal_to("close"), status)
        assert_that(connection.closed_by_server(), equal_to(True))


def test_an_application_error_answers_500() -> None:
    with _connected() as connection:
        connection.send(_post("/fail", b""))
        assert_that(connection.answer()[0], contains_string("500"))


def test_a_client_that_expects_100_continue_is_told_to_go_on_before_it_sends_the_body() -> None:
    with _connected() as connection:
        connection.sock.settimeout(0.5)  # boto3 waits a second, then sends the body anyway
        connection.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        assert_that(connection.reader.readline(), equal_to(b"HTTP/1.1 100 Continue\r\n"))
        connection.reader.readline()
        connection.send(b"body")
        assert_that(connection.answer()[2], equal_to(b"/echo body"))


@pytest.mark.parametrize("path", ["/short", "/long"])
def test_an_answer_that_does_not_keep_to_its_length_ends_the_connection(path: str) -> None:
    with _connected() as connection:
        connection.send(_post(path, b""))
        connection.reader.readline()
        while connection.reader.readline().strip():
            pass
        assert_that(connection.reader.read(), equal_to(b"12345"))  # then the server closes
