import { describe, expect, it } from 'vitest';
import { createClickGuard } from './click-guard.js';

describe('createClickGuard', () => {
  it('a click where the mouse went down, or within 3 px, is a click', () => {
    const guard = createClickGuard();
    guard.mousedown(100, 50);
    expect(guard.isClick(100, 50)).toBe(true);
    guard.mousedown(100, 50);
    expect(guard.isClick(103, 47)).toBe(true);
  });

  it('a click that ends a drag (more than 3 px on either axis) is not', () => {
    const guard = createClickGuard();
    guard.mousedown(100, 50);
    expect(guard.isClick(104, 50)).toBe(false);
    guard.mousedown(100, 50);
    expect(guard.isClick(40, 50)).toBe(false);
    guard.mousedown(100, 50);
    expect(guard.isClick(100, 54)).toBe(false);
  });

  it('forgets the mousedown: a later click with none before it counts', () => {
    const guard = createClickGuard();
    guard.mousedown(0, 0);
    expect(guard.isClick(200, 0)).toBe(false);
    expect(guard.isClick(200, 0)).toBe(true);
  });
});
