import net from 'node:net';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { POSTGRES_URL, dropSchema, freshSchemaUrl } from './services.js';

export type CuttableProxy = {
  port: number;
  /** Drops every connection and refuses new ones, as a database server that went away. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
};

/** A TCP pass-through to a real service that a test can cut and restore (PostgreSQL going away and coming back). */
export async function startCuttableProxy(target: { host: string; port: number }): Promise<CuttableProxy> {
  let cut = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      cut = true;
      for (const s of open) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A real server on a PostgreSQL schema of its own, reached through a cuttable
 * proxy (a one-second statement timeout, so an outage shows at once);
 * `stop` ends the server and the proxy and drops the schema.
 */
export async function startServerBehindCuttablePostgres(label: string): Promise<{
  server: ServerProcess;
  proxy: CuttableProxy;
  stop(): Promise<void>;
}> {
  const target = new URL(POSTGRES_URL);
  const proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const schemaUrl = freshSchemaUrl(label);
  const viaProxy = new URL(schemaUrl);
  viaProxy.port = String(proxy.port);
  const server = await startServerProcess({ env: { DATABASE_URL: viaProxy.href, DATABASE_TIMEOUT_MS: '1000' } });
  return {
    server,
    proxy,
    async stop() {
      await server.stop('SIGKILL');
      await proxy.close();
      await dropSchema(schemaUrl);
    },
  };
}
