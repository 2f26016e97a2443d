/**
 * Tells a click from the end of a drag. uPlot zooms on a drag over the plot; Chromium fires no
 * click after it, but other browsers may fire one on the element the drag ended over, and that
 * click must not pick the date under the cursor. A click counts when the pointer moved at most
 * `slop` px (either axis) since its mousedown; a click with no mousedown seen counts (keyboard, a
 * synthetic click).
 */
export function createClickGuard(slop = 3) {
  let down: { x: number; y: number } | null = null;
  return {
    mousedown(x: number, y: number): void {
      down = { x, y };
    },
    /** Whether the click at (x, y) is a click, not a drag's end; forgets the mousedown. */
    isClick(x: number, y: number): boolean {
      const from = down;
      down = null;
      return from === null || (Math.abs(x - from.x) <= slop && Math.abs(y - from.y) <= slop);
    },
  };
}
