import { describe, expect, it } from 'vitest';
import * as web from '../../web/src/components/sep-line.js';
import { sepLine } from './sep-line.js';

const cases = ['sep=;\nA;B\n', 'SEP=,\r\na,b', 'Sep=\t\rx', 'sep=|\n', 'sep=:\na:b\n', 'sep=;', 'sep=;;\n', ' sep=;\n', 'sku,sep=;\n', 'sep=x\n', ''];

describe("Excel's sep= line", () => {
  it('names the delimiter and its own length, only for the four delimiters', () => {
    expect(sepLine('sep=;\r\nA;B')).toEqual({ delimiter: ';', length: 7 });
    expect(sepLine('SEP=,\nA,B')).toEqual({ delimiter: ',', length: 6 });
    expect(sepLine('sep=:\nA:B')).toBeNull();
    expect(sepLine('sep=;')).toBeNull(); // no line after it: no file to read with it
  });

  it('is the rule the web preview reads files by (two copies: web knows only the HTTP contract)', () => {
    for (const text of cases) expect(web.sepLine(text), JSON.stringify(text)).toEqual(sepLine(text));
  });
});
