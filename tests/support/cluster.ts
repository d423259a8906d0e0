import crypto from 'node:crypto';
import { createClient } from 'redis';
import { startServerProcess, tempDataDir, type ServerProcess } from './server-process.js';
import { REDIS_URL, dropSchema, freshSchemaUrl } from './services.js';

export type TestCluster = {
  processes: ServerProcess[];
  databaseUrl: string;
  redisUrl: string;
  /** Starts one more process on the same PostgreSQL schema, Redis prefix and data directory. */
  add(): Promise<ServerProcess>;
  /** Closes every Redis connection of this cluster's processes (they reconnect by themselves). */
  dropRedisConnections(): Promise<number>;
  /** What a restart of Redis with nothing kept does to this cluster: its connections closed, its stream gone. */
  restartRedisEmpty(): Promise<number>;
  /** Closes the Redis connections of one process (by its index) only. */
  dropRedisConnectionsOf(index: number): Promise<number>;
  /** Deletes the cluster's stream: what was on it and not read yet is gone, as with a restart. */
  forgetStream(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Closes, on the Redis side, the connections of the processes using `prefix`
 * (a server names its connections `<prefix>:<pid>`), or of the one with `pid`
 * only, as a cut does.
 */
export async function closeRedisConnections(admin: { sendCommand(args: string[]): Promise<unknown> }, prefix: string, pid?: number): Promise<number> {
  const list = (await admin.sendCommand(['CLIENT', 'LIST'])) as string;
  let closed = 0;
  for (const line of list.split('\n')) {
    const name = /\bname=(\S*)/.exec(line)?.[1] ?? '';
    if (pid === undefined ? !name.startsWith(`${prefix}:`) : name !== `${prefix}:${pid}`) continue;
    const id = /\bid=(\d+)/.exec(line)?.[1];
    if (id) closed += Number(await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]));
  }
  return closed;
}

/**
 * N real server processes on one PostgreSQL schema and one Redis key prefix
 * of their own, started at the same moment (as a cluster starts them: their
 * migrations and seeding meet), sharing a data directory for the invitation key.
 */
export async function startCluster(count: number, label: string): Promise<TestCluster> {
  const databaseUrl = freshSchemaUrl(label);
  const prefix = `drafts_test_${label}_${crypto.randomBytes(4).toString('hex')}`;
  const redisUrl = `${REDIS_URL}?prefix=${prefix}`;
  const dataDir = tempDataDir();
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, UNLOAD_GRACE_MS: '60000' };
  const start = () => startServerProcess({ dataDir, env });
  const processes = await Promise.all(Array.from({ length: count }, start));
  const admin = createClient({ url: REDIS_URL });
  admin.on('error', () => {});
  await admin.connect();
  const dropRedisConnections = () => closeRedisConnections(admin, prefix);
  return {
    processes,
    databaseUrl,
    redisUrl,
    async add() {
      const p = await start();
      processes.push(p);
      return p;
    },
    dropRedisConnections,
    async restartRedisEmpty() {
      const dropped = await dropRedisConnections();
      await admin.del(`${prefix}:live`);
      return dropped;
    },
    dropRedisConnectionsOf: (index) => closeRedisConnections(admin, prefix, processes[index]!.process.pid),
    async forgetStream() {
      await admin.del(`${prefix}:live`);
    },
    async stop() {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      await admin.del(`${prefix}:live`);
      await admin.close();
      await dropSchema(databaseUrl);
    },
  };
}
