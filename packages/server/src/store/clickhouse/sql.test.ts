/**
 * The literal escaping that guards every value spliced into SQL: unit checks, and a fast-check
 * run in which arbitrary strings and bytes come back unchanged from `SELECT <literal>` on a real
 * ClickHouse server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClickHouseConnection, parseClickHouseUrl } from './connection.js';
import { RowBinaryReader } from './row-binary.js';
import { checkDatabaseName, sqlFloat64, sqlString, sqlUInt } from './sql.js';
import { startClickHouse, type TestClickHouse } from './test-support/clickhouse-server.js';

describe('sqlString', () => {
  it('writes only plain characters and \\xHH escapes, so nothing can end the literal early', () => {
    expect(sqlString('abc')).toBe("'abc'");
    expect(sqlString("it's")).toBe("'it\\x27s'");
    expect(sqlString('a\\b')).toBe("'a\\x5cb'");
    expect(sqlString('\0\n')).toBe("'\\x00\\x0a'");
    expect(sqlString('✓')).toBe("'\\xe2\\x9c\\x93'");
    expect(sqlString(new Uint8Array([0, 255]))).toBe("'\\x00\\xff'");
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lit = sqlString(s);
        expect(lit.slice(1, -1)).toMatch(/^(?:[^'\\]|\\x[0-9a-f]{2})*$/);
      }),
    );
  });

  it('refuses numbers outside UInt64 and database names that are not identifiers', () => {
    expect(sqlUInt(18446744073709551615n)).toBe('18446744073709551615');
    expect(() => sqlUInt(-1n)).toThrow(/UInt64/);
    expect(() => sqlUInt(1n << 64n)).toThrow(/UInt64/);
    expect(checkDatabaseName('skein_2')).toBe('skein_2');
    for (const bad of ['a-b', 'x;DROP', '`x`', '', '1abc']) expect(() => checkDatabaseName(bad)).toThrow(/plain identifier/);
  });
});

describe('literals on a real ClickHouse server', () => {
  let server: TestClickHouse;
  let conn: ClickHouseConnection;
  beforeAll(async () => {
    server = await startClickHouse();
    conn = new ClickHouseConnection(parseClickHouseUrl(server.url('default')));
  });
  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  /** Sends the literals in one SELECT and reads each column back as bytes. */
  const selectBack = async (values: Array<string | Uint8Array>): Promise<Buffer[]> => {
    const r = new RowBinaryReader(await conn.query(`SELECT ${values.map(sqlString).join(', ')} FORMAT RowBinary`));
    return values.map(() => r.bytes());
  };

  const nasty = fc.array(fc.constantFrom("'", '\\', '\0', '\n', '\r', '\t', '"', '`', '\\x41', "''", '\\\'', 'é', '✓', '😀', '\u2028', '\x1e', ';', '--', '/*'), {
    maxLength: 12,
  });
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), nasty.map((a) => a.join('')));

  it('returns arbitrary strings unchanged (quotes, backslashes, NUL, newlines, unicode)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), async (values) => {
        const back = await selectBack(values);
        expect(back.map((b) => b.toString('utf8'))).toEqual(values);
      }),
      { numRuns: 150 },
    );
  });

  it('returns arbitrary bytes unchanged (ids are compared as FixedString bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 20 }), async (values) => {
        const back = await selectBack(values);
        expect(back.map((b) => [...b])).toEqual(values.map((v) => [...v]));
      }),
      { numRuns: 100 },
    );
  });

  it('passes doubles with their exact bits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double(), async (x) => {
        const r = new RowBinaryReader(await conn.query(`SELECT ${sqlFloat64(x)} FORMAT RowBinary`));
        expect(Object.is(r.float64(), x)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
