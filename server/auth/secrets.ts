import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** A bearer secret (invitation token, session id): 32 random bytes, URL-safe. */
export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Secrets are stored hashed, so a copy of the database signs nobody in. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('base64url');
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

/**
 * Invitation links are shown to the secretariat again while they are valid, so
 * the server keeps each token, sealed (AES-256-GCM) with a key of its own in
 * the data directory: a copy of the database alone (a backup, a file sent to
 * look at a problem) still signs nobody in. Created on first use, readable by
 * the server's user only.
 */
export const SEALING_KEY_FILE = 'invitation-key';
const SEAL_VERSION = 'v1';

/** The data directory's sealing key (made if missing), or a key for this process alone without one (an in-memory database). */
export function sealingKey(dataDir: string | null): Buffer {
  if (!dataDir) return crypto.randomBytes(32);
  const file = path.join(dataDir, SEALING_KEY_FILE);
  if (!fs.existsSync(file)) {
    // Written whole under another name, then linked in place: two processes starting at once (the
    // server and `npm run admin`) cannot both make one, nor read one half written.
    const draft = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(draft, `${crypto.randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(draft);
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length !== 32) throw new Error(`${file} does not hold a sealing key: move it away and a new one is made (links made until now can then no longer be shown again)`);
  return key;
}

/** `secret`, sealed for the record `context` names (its id): a sealed value moved to another row does not open. */
export function seal(key: Buffer, secret: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [SEAL_VERSION, iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The secret back, or null when it was sealed with another key or for another record, or was altered. */
export function unseal(key: Buffer, sealed: string, context: string): string | null {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== SEAL_VERSION || !iv || !tag || data === undefined) return null;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
