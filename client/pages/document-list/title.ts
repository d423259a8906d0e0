import { Title } from '../../../shared/schema/api.js';

/** Why a title would be refused, checked with the server's own rule before sending. */
export function titleProblem(title: string): string | null {
  const parsed = Title.safeParse(title);
  if (parsed.success) return null;
  const message = parsed.error.issues[0]?.message ?? 'this title is not valid';
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}
