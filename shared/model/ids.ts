import * as random from 'lib0/random';

/**
 * A fresh id for a paragraph, bracket group, option, thread or message. lib0's
 * uuid works in insecure contexts too (a meeting-room LAN over plain http),
 * where crypto.randomUUID does not exist.
 */
export function newId(): string {
  return random.uuidv4();
}

export function nowIso(): string {
  return new Date().toISOString();
}
