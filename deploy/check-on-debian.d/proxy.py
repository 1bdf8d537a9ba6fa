"""The network of deploy/check-on-debian's install step, which runs in a network namespace of its
own (so that PostgreSQL's package, which picks the first free port, sees this machine's ports no
more than a clean machine would). Two halves joined by a Unix socket, which crosses namespaces:

  python3 proxy.py outside SOCKET     on this machine's network: an HTTP proxy (CONNECT for
                                      https, absolute URLs for http) to ports 80 and 443 only
  python3 proxy.py inside SOCKET      in the namespace: 127.0.0.1:3128 piped to SOCKET

apt, pip and uv inside find it through http_proxy/https_proxy."""

from __future__ import annotations

import asyncio
import sys
from urllib.parse import urlsplit


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    request_line, _, rest = head.partition(b"\r\n")
    method, target, version = request_line.decode("latin-1").split(" ")
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        opening = b""
    else:
        url = urlsplit(target)
        host, port = url.hostname or "", str(url.port or 80)
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = [h for h in rest.split(b"\r\n") if not h.lower().startswith(b"proxy-")]
        opening = f"{method} {path} {version}\r\n".encode() + b"\r\n".join(headers)
    if port not in ("80", "443"):
        writer.write(b"HTTP/1.1 403 Forbidden\r\n\r\n")
        writer.close()
        return
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
    except OSError:
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
        writer.close()
        return
    if method == "CONNECT":
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    else:
        upstream_writer.write(opening)
    await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def inside(socket_path: str) -> None:
    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_unix_connection(socket_path)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(forward, "127.0.0.1", 3128)
    await server.serve_forever()


async def outside(socket_path: str) -> None:
    server = await asyncio.start_unix_server(proxy, socket_path)
    await server.serve_forever()


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    asyncio.run(inside(path) if mode == "inside" else outside(path))
