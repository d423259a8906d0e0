import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout: one event per line, easy to grep and to ship. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'drafting-editor' } });
}
