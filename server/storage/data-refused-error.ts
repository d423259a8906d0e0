/**
 * A data directory or file the server will not use: not a SQLite database, a
 * database of something else, made by a newer version, or failing its
 * integrity check. Not an AppError: nobody is answered over HTTP, the process
 * stops before listening. The message is one line for a person, complete on
 * its own (server/main.ts and `npm run admin` print just it and exit 1).
 */
export class DataRefusedError extends Error {
  override readonly name = 'DataRefusedError';
}
