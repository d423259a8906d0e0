import { parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * What one soak run does. Fixed numbers are the issue's: 200 clients of which
 * 20 type, a storm every two minutes, a backup every minute. Only the length
 * is a flag (`--minutes N`), so every run, CI's one minute included, exercises
 * the same paths.
 */
export type SoakConfig = {
  minutes: number;
  /** Every client on the main document: typists + watchers + idle presence. */
  clients: number;
  typists: number;
  /** Stock clients that timestamp keystrokes as they arrive (the latency figure). */
  watchers: number;
  /** A keystroke every this-to-that ms per typist, drawn at random each time: a delegate's pace. */
  keystrokeGapMs: { min: number; max: number };
  stormEveryMs: number;
  /** When runs are too short for a two-minute storm, one storm at this share of the run: early, so its buffers settle within the warm-up half. */
  shortRunStormAt: number;
  /** Every client disconnects, then each reconnects at a random moment within this window. */
  stormSpreadMs: number;
  backupEveryMs: number;
  /** The side document: this many clients open it for `sideOpenMs`, then leave for `sideAwayMs`. */
  side: { clients: number; openMs: number; awayMs: number };
  /** How often the server's RSS is read (/proc) and /metrics scraped. */
  rssEveryMs: number;
  metricsEveryMs: number;
  /** After typing stops: how long every client has to receive every keystroke. */
  drainMs: number;
  /** Server settings that make compaction and unload happen many times in a few minutes. */
  serverEnv: Record<string, string>;
};

const Args = z.object({
  minutes: z.coerce.number().positive().max(24 * 60).default(10),
});

export function soakConfig(argv: string[]): SoakConfig {
  const { values } = parseArgs({ args: argv, options: { minutes: { type: 'string' } }, strict: true });
  const parsed = Args.safeParse(values);
  if (!parsed.success) throw new Error(`--minutes: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const { minutes } = parsed.data;
  const short = minutes < 5;
  return {
    minutes,
    clients: 200,
    typists: 20,
    watchers: 3,
    keystrokeGapMs: { min: 150, max: 300 },
    stormEveryMs: 120_000,
    shortRunStormAt: 0.1,
    stormSpreadMs: 1_000,
    backupEveryMs: 60_000,
    side: { clients: 5, openMs: 20_000, awayMs: 10_000 },
    // A short run needs more points for its slope; /proc reads cost nothing.
    rssEveryMs: short ? 1_000 : 5_000,
    metricsEveryMs: short ? 5_000 : 10_000,
    drainMs: 30_000,
    serverEnv: {
      LOG_LEVEL: 'warn',
      COMPACT_AFTER_UPDATES: '300',
      UNLOAD_GRACE_MS: '2000',
      BACKUP_EVERY_MINUTES: '1',
      BACKUP_KEEP: '3',
    },
  };
}
