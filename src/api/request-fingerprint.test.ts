import { describe, expect, it } from 'vitest';
import { fingerprintContentType, RequestFingerprint } from './request-fingerprint.js';

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part, 'utf8');
}

async function read(fingerprint: RequestFingerprint, name: string, source: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of fingerprint.passing(name, source)) {
    // hashed on the way
  }
}

describe('fingerprintContentType', () => {
  it('takes charset=utf-8 as the default it is (a retry that adds it is the same request), keeps another charset, drops the boundary', () => {
    expect(fingerprintContentType('application/json; charset=utf-8')).toBe('application/json');
    expect(fingerprintContentType('Application/JSON;Charset="UTF-8"')).toBe('application/json');
    expect(fingerprintContentType('text/csv; charset = UTF-8')).toBe(fingerprintContentType('text/csv'));
    expect(fingerprintContentType('text/csv; charset=windows-1252')).toBe('text/csv;charset=windows-1252');
    expect(fingerprintContentType('multipart/form-data; boundary=x1')).toBe('multipart/form-data');
  });
});

describe('RequestFingerprint', () => {
  it('a part hashed after a streamed one cannot pass for the stream\'s bytes (the stream\'s length is hashed at its end)', async () => {
    // Without the length, both hashed `file:stream:afile:end:n:9:file:end:`.
    const one = new RequestFingerprint();
    await read(one, 'file', chunks('a'));
    one.add('n', 'file:end:');
    const other = new RequestFingerprint();
    await read(other, 'file', chunks('afile:end:', 'n:9:'));
    expect(one.complete && other.complete).toBe(true);
    expect(one.digest()).not.toBe(other.digest());
  });

  it('the same stream cut into other chunks is the same fingerprint; incomplete until it ends', async () => {
    const whole = new RequestFingerprint().add('scope', 'POST /api/datasets');
    await read(whole, 'file', chunks('sku,date,sales\nA,2024-01-01,3\n'));
    const cut = new RequestFingerprint().add('scope', 'POST /api/datasets');
    const reading = cut.passing('file', chunks('sku,date,', 'sales\nA,2024-01-01,3\n'))[Symbol.asyncIterator]();
    await reading.next();
    expect(cut.complete).toBe(false);
    while (!(await reading.next()).done) { /* read on */ }
    expect(cut.complete).toBe(true);
    expect(cut.digest()).toBe(whole.digest());
  });
});
