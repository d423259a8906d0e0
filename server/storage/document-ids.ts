import crypto from 'node:crypto';

/**
 * A new document id: 12 URL-safe characters, starting with a letter or digit
 * so that it never reads as an option on a command line (`--document -x...`).
 */
export function newDocumentId(): string {
  for (;;) {
    const id = crypto.randomBytes(9).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
