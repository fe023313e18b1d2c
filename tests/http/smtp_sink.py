#!/usr/bin/python3
"""An SMTP server on a free loopback port for the HTTP tests (smtp_sink.h).

    smtp_sink.py DIR

Writes the port it listens on to DIR/port, and each message it takes to
DIR/NNNNNN.eml (with its envelope recipients in DIR/NNNNNN.rcpt), each file
whole or not at all. While DIR/fail exists it refuses every message with a
temporary error (451), as a server that is down for a while does. Runs until
it is stopped (SIGTERM). Uses Debian's python3-aiosmtpd.
"""
import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP


def write_whole(path, data):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.directory, "fail")):
            return "451 4.3.0 Try again later"
        self.count += 1
        base = os.path.join(self.directory, "%06d" % self.count)
        write_whole(base + ".rcpt", "\n".join(envelope.rcpt_tos).encode())
        write_whole(base + ".eml", envelope.original_content or envelope.content)
        return "250 OK"


async def main(directory):
    sink = Sink(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, hostname="localhost"), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    write_whole(os.path.join(directory, "port"), str(port).encode())
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
