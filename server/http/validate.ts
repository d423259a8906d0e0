import type { z } from 'zod';
import { BadRequestError } from '../errors.js';

/** Parses input with a shared schema; a mismatch is a 400 that says what is wrong. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new BadRequestError(`Invalid request: ${problems}`);
}
