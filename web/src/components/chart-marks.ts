import type uPlot from 'uplot';

/**
 * A vertical rule on the chart after a date: "How did we do" draws one after the snapshot's
 * history end, so what was recorded after it, which the snapshot's forecast is scored against,
 * reads apart from the history the forecast was made from. `label` names it in the legend
 * and the chart's caption, `short` is written beside the rule on the canvas.
 */
export interface ChartMark {
  after: string;
  label: string;
  short: string;
}

/**
 * Where the rule stands, in the x scale's seconds: halfway between the last chart date on or
 * before `after` and the next one (so every point left of it is on or before `after`); on
 * `after` itself when no date follows; null when no chart date is on or before it.
 */
export function markTime(dates: string[], times: number[], after: string): number | null {
  let last = -1;
  for (let i = 0; i < dates.length && dates[i] <= after; i++) last = i;
  if (last < 0) return null;
  return last + 1 < times.length ? (times[last] + times[last + 1]) / 2 : times[last];
}

/** Draws the marks as dashed vertical rules, each with its `short` label at its top right. */
export function drawMarks(u: uPlot, marks: ChartMark[], dates: string[], times: number[], color: string, pxRatio: number): void {
  if (marks.length === 0) return;
  const ctx = u.ctx;
  const { top, height, left, width } = u.bbox;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.5 * pxRatio;
  ctx.setLineDash([5 * pxRatio, 4 * pxRatio]);
  ctx.font = `${Math.round(11 * pxRatio)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const mark of marks) {
    const time = markTime(dates, times, mark.after);
    if (time === null) continue;
    const x = u.valToPos(time, 'x', true);
    // Zoomed away from it: nothing to draw.
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // Written right of the rule, or left of it when it would run off the plot.
    const text = ctx.measureText(mark.short).width;
    const right = x + 4 * pxRatio + text <= left + width;
    ctx.textAlign = right ? 'left' : 'right';
    ctx.fillText(mark.short, right ? x + 4 * pxRatio : x - 4 * pxRatio, top + 2 * pxRatio);
  }
  ctx.restore();
}
