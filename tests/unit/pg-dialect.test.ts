import { describe, expect, it } from 'vitest';
import { bindValues, toPostgres } from '../../server/storage/postgres/pg-dialect.js';

describe("the stores' SQLite statements in PostgreSQL's words", () => {
  it('numbers positional parameters and leaves quoted text alone', () => {
    expect(toPostgres("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?").text).toBe("SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2");
  });

  it('gives a named parameter the same number at every use, and binds from one object', () => {
    const statement = toPostgres('UPDATE t SET x = @at WHERE id = @id AND (x IS NULL OR x <= @before) AND y = @at');
    expect(statement.text).toBe('UPDATE t SET x = $1 WHERE id = $2 AND (x IS NULL OR x <= $3) AND y = $1');
    expect(bindValues(statement, [{ id: 'i', at: 'now', before: 'then' }])).toEqual(['now', 'i', 'then']);
  });

  it('turns INSERT OR IGNORE into ON CONFLICT DO NOTHING', () => {
    expect(toPostgres('INSERT OR IGNORE INTO j (a, b) VALUES (?, ?)').text).toBe('INSERT INTO j (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING');
  });

  it('quotes camelCase aliases, which PostgreSQL would fold to lower case', () => {
    expect(toPostgres('SELECT client_id AS clientId, principal FROM c').text).toBe('SELECT client_id AS "clientId", principal FROM c');
    expect(toPostgres('SELECT COUNT(*) AS n FROM d').text).toBe('SELECT COUNT(*) AS n FROM d');
  });

  it('refuses a statement mixing both kinds of parameters', () => {
    expect(() => toPostgres('SELECT ? , @a')).toThrow(/mixes/);
  });
});
