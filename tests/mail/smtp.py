"""A real SMTP server on loopback for the tests (aiosmtpd), collecting what it receives."""

import email
import email.policy
import time

from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [email.message_from_bytes(envelope.content, policy=email.policy.default) for envelope in self.envelopes]

    def wait_for(self, count: int, timeout: float = 10) -> list:
        deadline = time.monotonic() + timeout
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def start_smtp(port: int) -> tuple[Controller, Collector]:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, collector
