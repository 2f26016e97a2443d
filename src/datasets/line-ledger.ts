import type { ImportReport } from './dataset.js';
import { counted } from './counted.js';

/** Rejected lines kept in the report, at most (the count is exact). */
export const REJECTED_CAP = 100;
/** Line numbers kept per reason group (rejected or set aside): the first few, to go and look. */
export const GROUP_LINES = 5;

/** A rejection's reason without the value it quotes: what rejections are grouped by. */
export function reasonKind(reason: string): string {
  return reason
    .replace(/ \(column '[^']*'\)$/, '')
    .replace(/ '[^']*'/g, '')
    .replace(/^row has \d+ fields?, the header needs \d+$/, 'row has too few fields')
    .replace(/^row has \d+ fields, the header has \d+ .*$/, 'row has more fields than the header')
    .replace(/^SKU has other parts on an earlier line.*$/, 'SKU has other parts on an earlier line');
}

export type ReasonGroup = NonNullable<ImportReport['rejectedReasons']>[number];

type LedgerReport = Pick<ImportReport, 'rejected' | 'rejectedCount' | 'rejectedReasons' | 'setAside' | 'setAsideCount'>;

/**
 * The lines an import did not take: rejected (not readable as data: counted, the first
 * REJECTED_CAP kept, grouped by reasonKind with their first GROUP_LINES lines) and set aside (not
 * data at all: a repeated header, an empty line). Memory stays flat however many there are.
 */
export class LineLedger {
  private readonly rejected: Array<{ line: number; reason: string }> = [];
  private rejectedCount = 0;
  private readonly rejectedGroups = new Map<string, ReasonGroup>();
  private readonly setAsideGroups = new Map<string, { reason: string; count: number; lines: number[] }>();
  private setAsideCount = 0;

  reject(line: number, reason: string): void {
    this.rejectedCount++;
    if (this.rejected.length < REJECTED_CAP) this.rejected.push({ line, reason });
    const kind = reasonKind(reason);
    const group = this.rejectedGroups.get(kind);
    if (group === undefined) this.rejectedGroups.set(kind, { reason: kind, count: 1, lines: [line], example: reason });
    else {
      group.count++;
      if (group.lines.length < GROUP_LINES) group.lines.push(line);
    }
  }

  /** `more` lines rejected for `reason` beyond those given to reject() (whose lines were not kept). */
  rejectMore(reason: string, more: number): void {
    this.rejectedCount += more;
    this.rejectedGroups.get(reasonKind(reason))!.count += more;
  }

  setAside(line: number, reason: string): void {
    this.setAsideCount++;
    const group = this.setAsideGroups.get(reason);
    if (group === undefined) this.setAsideGroups.set(reason, { reason, count: 1, lines: [line] });
    else {
      group.count++;
      if (group.lines.length < GROUP_LINES) group.lines.push(line);
    }
  }

  /** `more` lines set aside for `reason` beyond those given to setAside() (whose lines were not kept). */
  setAsideMore(reason: string, more: number): void {
    this.setAsideCount += more;
    this.setAsideGroups.get(reason)!.count += more;
  }

  /**
   * The warning of the lines set aside, or null when none was. `warnedApart`: reasons another
   * warning names with their lines (total rows: total-rows.ts), left out of this one.
   */
  setAsideWarning(warnedApart: readonly string[] = []): string | null {
    const groups = [...this.setAsideGroups.values()].filter((g) => !warnedApart.includes(g.reason));
    const count = groups.reduce((n, g) => n + g.count, 0);
    if (count === 0) return null;
    return `${counted(count, 'line')} set aside as not data: ${groups.map((g) => `${g.count} ${g.reason}${g.count === 1 ? '' : 's'}`).join(', ')}`;
  }

  report(): LedgerReport {
    return {
      rejected: [...this.rejected].sort((a, b) => a.line - b.line).slice(0, REJECTED_CAP),
      rejectedCount: this.rejectedCount,
      rejectedReasons: [...this.rejectedGroups.values()].sort((a, b) => b.count - a.count).map((g) => ({ ...g, lines: [...g.lines].sort((x, y) => x - y) })),
      setAside: [...this.setAsideGroups.values()],
      setAsideCount: this.setAsideCount,
    };
  }
}
