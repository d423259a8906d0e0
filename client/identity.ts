import { z } from 'zod';

/** Who is typing, as the server knows them: shown on carets and in the presence list. */
export const Identity = z.object({
  name: z.string().trim().min(1).max(80),
  delegation: z.string().trim().max(80),
});
export type Identity = z.infer<typeof Identity>;

/**
 * Dark enough for white label text (contrast >= 4.5:1) and distinct from each
 * other on a projector.
 */
const IDENTITY_COLORS = [
  '#b3261e',
  '#ad1457',
  '#7b1fa2',
  '#4527a0',
  '#1a56b8',
  '#00638a',
  '#00695c',
  '#2e7d32',
  '#5b6b00',
  '#9a4d00',
  '#6d4c41',
  '#455a64',
] as const;

/** FNV-1a: tiny, and spreads similar names ("Delegate 1", "Delegate 2") apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The same person gets the same colour in every tab and on every laptop. */
export function identityColor(identity: Identity): string {
  const key = `${identity.name.trim().toLowerCase()}\u0000${identity.delegation.trim().toLowerCase()}`;
  return IDENTITY_COLORS[hash(key) % IDENTITY_COLORS.length] ?? IDENTITY_COLORS[0];
}

/** "Name (Delegation)", or just the name when no delegation was given. */
export function identityLabel(name: string, delegation: string): string {
  return delegation ? `${name} (${delegation})` : name;
}
