import { describe, expect, it } from 'vitest';
import { maintenanceRetention } from './worker-command.js';

describe('maintenanceRetention', () => {
  it('prunes the idempotency keys whatever SKUCAST_RETENTION_DAYS says, 0 (keep every job) too', () => {
    expect(maintenanceRetention({ SKUCAST_RETENTION_DAYS: '0' })).toEqual({ pruneAfterMs: null, pruneIdempotencyKeys: true });
    expect(maintenanceRetention({ SKUCAST_RETENTION_DAYS: '30' })).toEqual({ pruneAfterMs: 30 * 86_400_000, pruneIdempotencyKeys: true });
  });
});
