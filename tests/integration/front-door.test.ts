import http from 'node:http';
import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type FrontDoor, startFrontDoor } from '../../server/cluster/front-door.js';
import { createLogger } from '../../server/log.js';
import { waitFor } from '../support/wait.js';

/**
 * The front door of `npm run cluster` over plain HTTP servers standing in for
 * server processes: each answers with its own name, echoes websocket messages
 * prefixed with it, and can fail its health check, stop, and start again on
 * the same port.
 */
type FakeBackend = {
  name: string;
  port: number;
  healthy: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
};

async function fakeBackend(name: string): Promise<FakeBackend> {
  let server: http.Server | null = null;
  const sockets = new Set<net.Socket>();
  const backend: FakeBackend = {
    name,
    port: 0,
    healthy: true,
    async start() {
      const s = http.createServer((req, res) => {
        const status = req.url === '/api/health' && !backend.healthy ? 503 : 200;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ backend: name }));
      });
      // Every TCP connection, upgraded ones included: stopping must cut them all, as a killed process would.
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      new WebSocketServer({ server: s }).on('connection', (ws) => {
        ws.on('message', (data) => ws.send(`${name}:${data.toString()}`));
      });
      await new Promise<void>((resolve) => s.listen(backend.port, '127.0.0.1', resolve));
      backend.port = (s.address() as net.AddressInfo).port;
      server = s;
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = null;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  await backend.start();
  return backend;
}

/** One request on a connection of its own (no keep-alive): the door balances connections, not requests. */
function whoAnswers(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve((JSON.parse(body) as { backend: string }).backend));
      })
      .on('error', reject);
  });
}

async function answers(port: number, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(await whoAnswers(port));
  return names;
}

function openSocket(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/collab/some-document`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function echo(ws: WebSocket, text: string): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(data.toString()));
    ws.send(text);
  });
}

describe('the front door of npm run cluster', () => {
  let backends: FakeBackend[];
  let door: FrontDoor;
  const sockets: WebSocket[] = [];
  const upPorts = () => door.backends().filter((b) => b.up).map((b) => b.port);

  beforeEach(async () => {
    backends = await Promise.all(['a', 'b', 'c'].map(fakeBackend));
    door = await startFrontDoor({
      host: '127.0.0.1',
      port: 0,
      backends: backends.map((b) => ({ host: '127.0.0.1', port: b.port })),
      checkEveryMs: 100,
      log: createLogger('silent'),
    });
    await waitFor(() => upPorts().length === 3, 'all three backends up');
  });
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await door.close();
    await Promise.all(backends.map((b) => b.stop()));
  });

  it('sends each new connection to the next backend in turn', async () => {
    const names = await answers(door.port, 9);
    expect(new Set(names.slice(0, 3))).toEqual(new Set(['a', 'b', 'c']));
    // The same rotation, round after round.
    expect(names.slice(3, 6)).toEqual(names.slice(0, 3));
    expect(names.slice(6, 9)).toEqual(names.slice(0, 3));
  });

  it('passes a websocket upgrade through untouched, both ways', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const ws = await openSocket(door.port);
      sockets.push(ws);
      const reply = await echo(ws, `hello ${i}`);
      expect(reply).toMatch(new RegExp(`^[abc]:hello ${i}$`));
      // A second message on the same connection comes back from the same backend.
      expect(await echo(ws, 'again')).toBe(`${reply.split(':')[0]}:again`);
      seen.add(reply.split(':')[0]!);
    }
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
  });

  it('skips a stopped backend for new connections, even before a health check has noticed', async () => {
    const b = backends[1]!;
    await b.stop();
    // Straight away: connects to b fail and go on to the next backend, no client is refused.
    const names = await answers(door.port, 6);
    expect(names).not.toContain('b');
    expect(new Set(names)).toEqual(new Set(['a', 'c']));
    expect(door.backends().find((x) => x.port === b.port)?.up).toBe(false);
  });

  it('closes the client socket when its backend goes, and the reconnect lands on a live one', async () => {
    const ws = await openSocket(door.port);
    sockets.push(ws);
    const name = (await echo(ws, 'hi')).split(':')[0]!;
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const started = Date.now();
    await backends.find((b) => b.name === name)!.stop();
    await closed;
    expect(Date.now() - started).toBeLessThan(2_000);
    for (let i = 0; i < 3; i++) {
      const again = await openSocket(door.port);
      sockets.push(again);
      const reply = await echo(again, 'back');
      expect(reply).toMatch(/^[abc]:back$/);
      expect(reply.startsWith(`${name}:`)).toBe(false);
    }
  });

  it('uses a stopped backend again once a health check finds it back', async () => {
    const b = backends[1]!;
    await b.stop();
    await waitFor(() => !upPorts().includes(b.port), 'b marked down by the checks');
    expect(await answers(door.port, 4)).not.toContain('b');
    await b.start();
    await waitFor(() => upPorts().includes(b.port), 'b marked up again', 2_000);
    expect(await answers(door.port, 3)).toContain('b');
  });

  it('takes a backend out while its health check fails, though it still accepts connections', async () => {
    const c = backends[2]!;
    c.healthy = false;
    await waitFor(() => !upPorts().includes(c.port), 'c marked down by a 503');
    expect(await answers(door.port, 6)).not.toContain('c');
    c.healthy = true;
    await waitFor(() => upPorts().includes(c.port), 'c marked up again', 2_000);
    expect(await answers(door.port, 3)).toContain('c');
  });

  it('closes every connection through it when it closes', async () => {
    const ws = await openSocket(door.port);
    sockets.push(ws);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await door.close();
    await closed;
    await expect(whoAnswers(door.port)).rejects.toThrow();
  });
});
