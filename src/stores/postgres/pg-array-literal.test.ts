import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgArrayLiteral } from './pg-array-literal.js';
import { postgresTestUrl } from './postgres-test-schema.js';

describe('pgArrayLiteral', () => {
  it('quotes strings, escapes quotes and backslashes as an array literal does, and leaves null unquoted', () => {
    expect(pgArrayLiteral(['a', 'say "hi"', 'back\\slash', '', 'NULL', null])).toBe('{"a","say \\"hi\\"","back\\\\slash","","NULL",null}');
  });

  it('writes integers bare and an empty array as {}', () => {
    expect(pgArrayLiteral([1, 2, -3])).toBe('{1,2,-3}');
    expect(pgArrayLiteral([])).toBe('{}');
  });

  it('hands back an array whose JSON needs an escape the literal would misread (newline, control char, lone surrogate)', () => {
    for (const odd of ['line\nbreak', 'tab\there', 'bell\u0007', 'half\ud800']) {
      const values = ['plain', odd];
      expect(pgArrayLiteral(values)).toBe(values);
    }
  });

  it('hands back an array holding something not a string, number or null (JSON would write an object as a nested array)', () => {
    const values = ['a', { b: 1 }] as unknown as string[];
    expect(pgArrayLiteral(values)).toBe(values);
  });

  it('hands back an array holding a number JSON cannot write (NaN, Infinity: JSON says null, the literal would read NULL)', () => {
    for (const odd of [NaN, Infinity, -Infinity]) {
      const values = [1, odd];
      expect(pgArrayLiteral(values)).toBe(values);
    }
  });
});

/**
 * The literal must mean to PostgreSQL exactly what node-postgres's own serialization of the same
 * array means (the path it replaces, and the fallback): the same values back, or both refused.
 */
const baseUrl = postgresTestUrl('pgArrayLiteral against PostgreSQL');
if (baseUrl) {
  describe('pgArrayLiteral read by PostgreSQL', () => {
    let client: pg.Client;
    beforeAll(async () => {
      client = new pg.Client({ connectionString: baseUrl });
      client.on('error', () => undefined);
      await client.connect();
    });
    afterAll(() => client?.end());

    const read = async (type: string, param: unknown): Promise<unknown> => {
      try {
        return (await client.query(`SELECT $1::${type} AS a`, [param])).rows[0].a;
      } catch (error) {
        return { refused: (error as { code?: string }).code };
      }
    };
    const same = async (type: string, values: ReadonlyArray<string | number | null>) => {
      const viaLiteral = await read(type, pgArrayLiteral(values));
      const viaPg = await read(type, values);
      expect(viaLiteral, JSON.stringify(values)).toEqual(viaPg);
      return viaLiteral;
    };

    const texts = [
      'plain', '', ' ', '  padded  ', 'NULL', 'null', 'Null', '"', '""', '\\', '\\\\', 'ends with \\', '\\"', '"\\',
      'say "hi"', 'a,b', '{', '}', '{a,b}', '{"a"}', '[1]', '1', '-0', '1e5', 'ünïcode ✓', '😀 pair', '\u2028\u2029',
      '\ufeffbom', 'del\u007f', 'c1\u0085', '\\u0041 as text', '\\n as text', 'x\ny', 'x\ty', 'x\ry', 'x\by', 'x\fy',
      'x\u0001y', 'x\u001fy', 'lone \ud800', 'lone \udc00', 'x\\\ny',
    ];

    // UTF-8 has no lone surrogate: node-postgres's encoding sends U+FFFD for one.
    const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

    it('reads every odd string as node-postgres sends it, one element at a time and all together, with NULLs', async () => {
      for (const text of texts) {
        expect(await same('text[]', [text, null, text]), JSON.stringify(text)).toEqual([wellFormed(text), null, wellFormed(text)]);
      }
      expect(await same('text[]', texts)).toEqual(texts.map(wellFormed));
      expect(await same('text[]', [null, null])).toEqual([null, null]);
      expect(await same('text[]', [])).toEqual([]);
    });

    it('refuses a NUL as node-postgres does (text cannot hold one)', async () => {
      expect(await same('text[]', ['x\u0000y'])).toEqual({ refused: '22021' });
    });

    it('reads integers and bigints as node-postgres sends them, out-of-range and non-finite ones refused alike', async () => {
      expect(await same('integer[]', [0, -0, 1, -1, 2147483647, -2147483648])).toEqual([0, 0, 1, -1, 2147483647, -2147483648]);
      expect(await same('bigint[]', [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0])).toEqual([String(Number.MAX_SAFE_INTEGER), String(-Number.MAX_SAFE_INTEGER), '0']);
      for (const odd of [2147483648, 1e21, 1.5, NaN, Infinity, -Infinity]) {
        expect(await same('integer[]', [1, odd]), String(odd)).toHaveProperty('refused');
      }
    });

    it('reads float8 values (series volumes) to the same double as node-postgres sends them', async () => {
      const values = [0, -0, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, -2.5e-308, 1.7976931348623157e308, 123456.789, null];
      const read = await same('float8[]', values) as Array<number | null>;
      expect(read.map((v) => (v === null ? null : Number(v)))).toEqual(values.map((v) => (v === -0 ? 0 : v)));
    });
  });
}
