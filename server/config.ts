import path from 'node:path';
import { z } from 'zod';

/** Everything the server can be told, from the environment, validated once at start. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  SEEDS_DIR: z.string().min(1).default('./seeds'),
  CLIENT_DIR: z.string().min(1).default('./dist/client'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a document with no connections stays in memory. */
  UNLOAD_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** Largest websocket message accepted; a larger one closes that connection with 1009. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  /** Largest JSON request body. */
  MAX_BODY_BYTES: z.coerce.number().int().min(256).default(64 * 1024),
  /** Updates arriving within this window are merged and sent as one message per socket. */
  FANOUT_WINDOW_MS: z.coerce.number().min(0).default(4),
  /** Awareness (carets, presence) is sent to the room at most this often. */
  AWARENESS_INTERVAL_MS: z.coerce.number().min(0).default(50),
  /** Log rows after which a document's update log is folded into its snapshot. */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(1000),
  /** Largest file accepted by the import (413 beyond). */
  MAX_IMPORT_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  /** The address people reach the server at, for invitation links ("https://drafts.example.org"). */
  PUBLIC_URL: z.string().url().optional(),
  /** Extra browser origins trusted like the server's own (comma-separated): to open the websocket and to send cookie-authenticated writes. */
  ALLOWED_ORIGINS: z.string().optional(),
  /** Where scheduled backups are written; none are made without it. */
  BACKUP_DIR: z.string().min(1).optional(),
  /** Minutes between scheduled backups (with BACKUP_DIR). */
  BACKUP_EVERY_MINUTES: z.coerce.number().positive().default(60),
  /** How many scheduled backups are kept; older ones are deleted. */
  BACKUP_KEEP: z.coerce.number().int().min(1).default(24),
  /** A bearer token that may read GET /metrics (a secretariat session always may). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** PostgreSQL instead of the embedded SQLite ("postgres://host:5432/db"): needed by several processes serving the same documents. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// address').optional(),
  /** How long one PostgreSQL statement may take before the database counts as unreachable. */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Redis, carrying live traffic between processes ("redis://host:6379"); without it a process serves its own clients alone. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// address').optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  seedsDir: string;
  clientDir: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  unloadGraceMs: number;
  maxMessageBytes: number;
  maxBodyBytes: number;
  fanoutWindowMs: number;
  awarenessIntervalMs: number;
  compactAfterUpdates: number;
  maxImportBytes: number;
  publicUrl: string | null;
  allowedOrigins: string[];
  /** Scheduled backups: null without BACKUP_DIR. */
  backups: { dir: string; everyMinutes: number; keep: number } | null;
  metricsToken: string | null;
  /** PostgreSQL storage; null: SQLite in DATA_DIR. */
  database: { url: string; timeoutMs: number } | null;
  /** Redis for traffic between processes; null: this process alone. */
  redisUrl: string | null;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && e.BACKUP_DIR) {
    throw new Error('Invalid configuration: BACKUP_DIR copies the SQLite database; with DATABASE_URL, back up PostgreSQL with its own tools (pg_dump)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    seedsDir: path.resolve(e.SEEDS_DIR),
    clientDir: path.resolve(e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    unloadGraceMs: e.UNLOAD_GRACE_MS,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBodyBytes: e.MAX_BODY_BYTES,
    fanoutWindowMs: e.FANOUT_WINDOW_MS,
    awarenessIntervalMs: e.AWARENESS_INTERVAL_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    maxImportBytes: e.MAX_IMPORT_BYTES,
    publicUrl: e.PUBLIC_URL ?? null,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    backups: e.BACKUP_DIR ? { dir: path.resolve(e.BACKUP_DIR), everyMinutes: e.BACKUP_EVERY_MINUTES, keep: e.BACKUP_KEEP } : null,
    metricsToken: e.METRICS_TOKEN ?? null,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, timeoutMs: e.DATABASE_TIMEOUT_MS } : null,
    redisUrl: e.REDIS_URL ?? null,
  };
}
