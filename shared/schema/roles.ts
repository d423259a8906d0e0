import { z } from 'zod';

/** What a person may do in one document. */
export const Role = z.enum(['secretariat', 'chair', 'delegate', 'commenter', 'observer']);
export type Role = z.infer<typeof Role>;
