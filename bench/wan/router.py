#!/usr/bin/env python3
"""The WAN lab's link: a userspace delay/loss router (this kernel has no sch_netem), run inside the 'wan' namespace.

net.sh routes every packet that enters 'wan' from either site into the TUN device given here. Each packet read from
it waits DELAY_MS, unless it is lost (probability LOSS) or the link is cut, and is then written back to the TUN
device, from where the kernel forwards it to its destination. Packets keep their order per direction.

A control socket (unix stream, one command per line, one answer line) lets the lab change the link while it runs:
  delay MS | loss FRACTION | cut SECONDS (drop everything that long; 0 ends a cut) | stats

usage: router.py TUN_NAME CONTROL_SOCKET DELAY_MS LOSS
"""
import collections
import fcntl
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


class Link:
    def __init__(self, delay_ms, loss):
        self.delay = delay_ms / 1000.0
        self.loss = loss
        self.cut_until = 0.0
        self.lock = threading.Condition()
        # one FIFO per direction, keyed by the packet's destination address: a constant delay keeps each FIFO sorted
        self.queues = collections.defaultdict(collections.deque)
        self.stats = collections.Counter()

    def offer(self, packet, now):
        way = direction(packet)
        with self.lock:
            self.stats[way + ".in"] += 1
            if now < self.cut_until:
                self.stats[way + ".cut"] += 1
                return
            if self.loss > 0 and random.random() < self.loss:
                self.stats[way + ".lost"] += 1
                return
            self.queues[way].append((now + self.delay, packet))
            self.lock.notify()

    def due(self):
        """Blocks until some packet is due; returns the due packets, oldest first."""
        with self.lock:
            while True:
                now = time.monotonic()
                heads = [q[0][0] for q in self.queues.values() if q]
                if heads and min(heads) <= now:
                    out = []
                    for way, q in self.queues.items():
                        while q and q[0][0] <= now:
                            out.append(q.popleft()[1])
                            self.stats[way + ".out"] += 1
                    return out
                self.lock.wait(min(heads) - now if heads else None)

    def command(self, line):
        words = line.split()
        with self.lock:
            if words[:1] == ["delay"] and len(words) == 2:
                self.delay = float(words[1]) / 1000.0
            elif words[:1] == ["loss"] and len(words) == 2:
                self.loss = float(words[1])
            elif words[:1] == ["cut"] and len(words) == 2:
                self.cut_until = time.monotonic() + float(words[1])
            elif words != ["stats"]:
                return "error: unknown command " + line.strip()
            return json.dumps({"delay_ms": self.delay * 1000, "loss": self.loss,
                               "cut_left_s": max(0.0, self.cut_until - time.monotonic()), **self.stats})


def direction(packet):
    """'to-' and the destination's /24 network, e.g. 'to-10.77.2': the sites' networks tell the directions apart."""
    if len(packet) < 20 or packet[0] >> 4 != 4:
        return "other"
    return "to-%d.%d.%d" % tuple(packet[16:19])


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def serve_control(link, path):
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    while True:
        conn, _ = server.accept()
        with conn, conn.makefile("rw") as f:
            for line in f:
                f.write(link.command(line) + "\n")
                f.flush()


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    tun_name, control, delay_ms, loss = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    link = Link(delay_ms, loss)
    fd = open_tun(tun_name)

    def deliver():
        while True:
            for packet in link.due():
                try:
                    os.write(fd, packet)
                except OSError as e:  # e.g. no route any more while the lab tears down: the packet is lost
                    link.stats["write-errors." + e.__class__.__name__] += 1

    def stop(*_):
        print("router stopping: " + link.command("stats"), flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=deliver, daemon=True).start()
    threading.Thread(target=serve_control, args=(link, control), daemon=True).start()
    print("router up on %s: delay %.0f ms each way, loss %g; control %s" % (tun_name, delay_ms, loss, control),
          flush=True)
    while True:
        link.offer(os.read(fd, 65536), time.monotonic())


if __name__ == "__main__":
    main()
