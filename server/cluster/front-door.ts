import http from 'node:http';
import net from 'node:net';
import type { Logger } from '../log.js';

type BackendAddress = { host: string; port: number };

export type FrontDoorOptions = {
  host: string;
  /** 0: any free port (tests); the port taken is in `FrontDoor.port`. */
  port: number;
  backends: BackendAddress[];
  /** An HTTP GET that must answer 2xx within CHECK_TIMEOUT_MS for a backend to count as up. */
  healthPath?: string;
  checkEveryMs?: number;
  log: Logger;
};

export type FrontDoor = {
  port: number;
  /** Stops listening and the checks, and closes every connection through the door. */
  close(): Promise<void>;
  backends(): Array<{ port: number; up: boolean }>;
};

/** A health check or a connect slower than this counts as failed: on one machine a live process answers in milliseconds. */
const CHECK_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 1_000;
/** How long a socket whose peer has gone may take to flush what it still holds before it is destroyed. */
const LINGER_MS = 5_000;

type Backend = BackendAddress & { up: boolean; checking: boolean };

/**
 * A round-robin TCP proxy for trying several server processes on one machine
 * without a real load balancer (`npm run cluster`). In production, whatever
 * already sits in front (nginx, HAProxy, a cloud balancer) does this job.
 *
 * TCP, not HTTP: the bytes pass untouched, so websocket upgrades, keep-alive
 * and the Host and Origin headers the server checks arrive as the client sent
 * them (the backends see the door's address as the peer, which the server
 * does not use). No stickiness: any process serves any document, the others
 * learning of its updates through Redis, so each connection simply goes to
 * the next live backend.
 *
 * A backend is marked down as soon as a connect to it fails (so the next
 * client does not pay for the same failure) or its health check fails, and up
 * again only by a passing check: a port that accepts connections may belong
 * to a process still loading or already shutting down. When a backend drops
 * a connection the client's is closed too, rather than held open with
 * nothing behind it: the client reconnects and the door sends it to a live
 * process, which is how a stopped or killed process hands its clients over.
 */
export async function startFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const { log } = options;
  const healthPath = options.healthPath ?? '/api/health';
  const checkEveryMs = options.checkEveryMs ?? 1_000;
  // Down until the first check says otherwise: at `npm run cluster` the processes are still starting.
  const backends: Backend[] = options.backends.map((b) => ({ ...b, up: false, checking: false }));
  const sockets = new Set<net.Socket>();
  let next = 0;
  let closed = false;

  const mark = (backend: Backend, up: boolean, reason: string) => {
    if (backend.up === up) return;
    backend.up = up;
    if (up) log.info({ backend: `${backend.host}:${backend.port}` }, 'front door: backend up');
    else log.warn({ backend: `${backend.host}:${backend.port}`, reason }, 'front door: backend down');
  };

  /**
   * Up backends in round-robin order, starting after the last one chosen (so
   * a backend that is down does not make its successor take two turns); all
   * of them if none is up: a check may simply not have run yet.
   */
  const candidates = (): Backend[] => {
    const order = backends.map((_, i) => backends[(next + i) % backends.length]!);
    const up = order.filter((b) => b.up);
    const queue = up.length > 0 ? up : order;
    if (queue[0]) next = (backends.indexOf(queue[0]) + 1) % backends.length;
    return queue;
  };

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = net.createServer((client) => {
    track(client);
    // Keystrokes are frames of a few dozen bytes: Nagle's algorithm would hold them back waiting for more.
    client.setNoDelay(true);
    let pending: net.Socket | null = null;
    client.on('error', () => client.destroy());
    // A client gone while its backend is being chosen: drop the attempt (once joined, join() handles it).
    client.once('close', () => pending?.destroy());
    // Not read until a backend is connected: whatever the client sends meanwhile waits in the socket.
    const tryNext = (queue: Backend[]) => {
      pending = null;
      if (closed || client.destroyed) return;
      const backend = queue.shift();
      if (!backend) {
        log.warn('front door: no backend accepted the connection');
        client.destroy();
        return;
      }
      const socket = net.connect({ host: backend.host, port: backend.port });
      pending = socket;
      track(socket);
      socket.setNoDelay(true);
      socket.setTimeout(CONNECT_TIMEOUT_MS);
      let failedOnce = false;
      const failed = (reason: string) => {
        // A timeout can be followed by the error of the same attempt: one retry per attempt.
        if (failedOnce) return;
        failedOnce = true;
        socket.destroy();
        mark(backend, false, reason);
        tryNext(queue);
      };
      socket.on('timeout', () => failed('connect timed out'));
      socket.on('error', (err) => failed(err.message));
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeAllListeners('timeout');
        socket.removeAllListeners('error');
        pending = null;
        if (client.destroyed) socket.destroy();
        else join(client, socket);
      });
    };
    tryNext(candidates());
  });

  const check = (backend: Backend) => {
    if (backend.checking || closed) return;
    backend.checking = true;
    let settled = false;
    const done = (up: boolean, reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      backend.checking = false;
      if (!closed) mark(backend, up, reason);
    };
    // A fresh connection per check (no agent): a kept-alive one could outlive the process it was opened to.
    const req = http.get({ host: backend.host, port: backend.port, path: healthPath, agent: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      done(status >= 200 && status < 300, `health check answered ${status}`);
    });
    // From the request to the answer's status, whatever trickles in between (a socket timeout would restart on each byte).
    const deadline = setTimeout(() => {
      req.destroy();
      done(false, 'health check timed out');
    }, CHECK_TIMEOUT_MS);
    req.once('error', (err) => done(false, `health check failed: ${err.message}`));
  };
  const checkAll = () => {
    for (const backend of backends) check(backend);
  };
  const timer = setInterval(checkAll, checkEveryMs);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'front door: listening socket failed'));
  checkAll();
  const address = server.address() as net.AddressInfo;

  return {
    port: address.port,
    backends: () => backends.map((b) => ({ port: b.port, up: b.up })),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

/**
 * Bytes both ways until either side goes. An error (a reset, a killed
 * process) closes the other side at once; an orderly end is passed on after
 * what is still buffered has been written, so a last frame is not cut off.
 * pipe() keeps backpressure: a client that reads slowly stops the door
 * reading from its backend, so the server sees a slow consumer as it would
 * without the door, and the door holds no more than a stream buffer per side.
 */
function join(client: net.Socket, backend: net.Socket): void {
  client.pipe(backend);
  backend.pipe(client);
  client.on('error', () => backend.destroy());
  backend.on('error', () => client.destroy());
  client.once('close', () => closeAfterFlush(backend));
  backend.once('close', () => closeAfterFlush(client));
}

function closeAfterFlush(socket: net.Socket): void {
  if (socket.destroyed) return;
  socket.end(() => socket.destroy());
  // A peer that stops reading would keep the socket (and its buffer) forever.
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
