import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Claims of ports handed out, shared by every vitest worker process of the machine. */
const claims = join(tmpdir(), 'skucast-test-ports');
/** A claim older than this is from a finished run: the port may be handed out again. */
const claimTtlMs = 30 * 60_000;

/**
 * A TCP port free on 127.0.0.1 right now (the OS picks it; closed before it is returned), and
 * handed to no other suite of this run: the OS gives a port just closed to the next bind(0) as
 * readily as any, and two suites starting at once were given the same one. The second API then
 * failed to listen, and its browser talked to the other suite's API (another dataset on the page).
 * Each port is claimed with an exclusive file before it is returned.
 */
export async function freePort(): Promise<number> {
  mkdirSync(claims, { recursive: true });
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await osPort();
    const claim = join(claims, String(port));
    try {
      writeFileSync(claim, String(process.pid), { flag: 'wx' });
      return port;
    } catch {
      try {
        if (Date.now() - statSync(claim).mtimeMs > claimTtlMs) rmSync(claim, { force: true });
      } catch {
        // another process removed it first
      }
    }
  }
  throw new Error(`no unclaimed free port after 50 tries (claims in ${claims})`);
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
