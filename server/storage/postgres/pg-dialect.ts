/**
 * The stores' SQL is SQLite's (server/storage/sql-database.ts); these are the
 * few places PostgreSQL says it differently. Kept to what the stores use, and
 * checked by tests/unit/pg-dialect.test.ts: a statement this does not turn
 * into PostgreSQL fails on its first run in the PostgreSQL suite.
 */
export type PgStatementText = {
  text: string;
  /** For `@name` parameters: the name of each $n, in order; null for positional `?`. */
  names: string[] | null;
};

export function toPostgres(sql: string): PgStatementText {
  let text = sql;
  const ignore = /^\s*INSERT OR IGNORE INTO/i.test(text);
  if (ignore) text = `${text.replace(/INSERT OR IGNORE INTO/i, 'INSERT INTO')} ON CONFLICT DO NOTHING`;
  // PostgreSQL folds unquoted names to lower case: `AS clientId` would come back as "clientid".
  text = text.replace(/\bAS ([a-z]+[A-Z][A-Za-z0-9]*)\b/g, 'AS "$1"');
  return numberParameters(text);
}

/** `?` → $1, $2…; `@name` → the same $n for every use of that name. Quoted text is left alone. */
function numberParameters(sql: string): PgStatementText {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  let quoted = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted) {
      out += c;
      continue;
    }
    if (c === '?') {
      out += `$${++positional}`;
      continue;
    }
    if (c === '@') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0];
      if (name) {
        let index = names.indexOf(name);
        if (index < 0) index = names.push(name) - 1;
        out += `$${index + 1}`;
        i += name.length;
        continue;
      }
    }
    out += c;
  }
  if (positional > 0 && names.length > 0) throw new Error(`a statement mixes ? and @name parameters: ${sql}`);
  return { text: out, names: names.length > 0 ? names : null };
}

/** The values in $n order: positional as given, named from the one object passed. */
export function bindValues(statement: PgStatementText, params: unknown[]): unknown[] {
  if (!statement.names) return params;
  const named = (params[0] ?? {}) as Record<string, unknown>;
  return statement.names.map((name) => named[name]);
}
