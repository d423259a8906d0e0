import net from 'node:net';

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
