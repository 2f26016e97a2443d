/**
 * Which members a total leaves out, counted against the same base (the group's `skus`) and named,
 * so that Totals can say "sum of 30 of 31 SKUs; 1 has no forecast at all (A-9999)" and "the last
 * period sums 29 of 31 SKUs: 2 have no actuals for it (A-1011, A-9999)" (review-planner finding 7:
 * the counts were taken against different bases, 31 then 30, and no SKU was named).
 */

/** How many members, and the first `namedSkus` of them by SKU (the most recent ends first for `lastPeriod`). */
export interface NamedSkus {
  count: number;
  skus: string[];
}

export interface LeftOut {
  /** Members with no forecast at all (too short, or not forecast yet). */
  noForecast: NamedSkus;
  /** Members with a forecast none of whose dates (nor actuals past the history) is one of the total's forecast dates. */
  outsideForecast: NamedSkus;
  /** Members without a value on the history's last date (`date`); null without a history. */
  lastPeriod: (NamedSkus & { date: string }) | null;
  /**
   * Members the forecast sums on some of its dates but not all (a horizon that ends a period or
   * more before the total's, a gap): `from` is the first of the total's forecast dates one of
   * them misses, null when none does (R review finding 6: counted as included, they were missing
   * from the total's last periods unnamed).
   */
  partialForecast: NamedSkus & { from: string | null };
  /** Members not summed on the total's first forecast date (any reason above), for a store card's "next period". */
  firstForecastDate: NamedSkus;
}

export const namedSkus = 5;

/** A member's dates kept for this: its last few (a gap right at the history's end is seen). */
const TAIL = 8;

interface Member {
  sku: string;
  first: string | null;
  tail: string[];
  /** Its forecast's first and last date after its own history, null without a forecast; `none`: it has no forecast. */
  forecast: { first: string; last: string } | null | 'none';
  /** Its forecast's dates after its own history. */
  forecastDates: ReadonlySet<string>;
}

export class LeftOutMembers {
  private readonly members: Member[] = [];

  /** `dates`: the member's history dates; `forecastDates`: its forecast's dates after its history end (null: no forecast). */
  add(sku: string, dates: readonly string[] | undefined, forecastDates: readonly string[] | null): void {
    this.members.push({
      sku,
      first: dates?.[0] ?? null,
      tail: dates ? dates.slice(-TAIL) : [],
      forecast: forecastDates === null ? 'none' : forecastDates.length > 0 ? { first: forecastDates[0], last: forecastDates[forecastDates.length - 1] } : null,
      forecastDates: new Set(forecastDates ?? []),
    });
  }

  /** `historyEnd`, `forecastEnd`, `forecastDates`: the total's (Group.result). */
  result(historyEnd: string | undefined, forecastEnd: string | undefined, forecastDates: readonly string[]): LeftOut {
    const anyForecastDates = forecastDates.length > 0;
    const inRange = (d: string) => (historyEnd === undefined || d > historyEnd) && (forecastEnd === undefined || d <= forecastEnd);
    const none: Member[] = [];
    const outside: Member[] = [];
    const lacking: Member[] = [];
    const partial: Member[] = [];
    const notFirst: Member[] = [];
    let from: string | null = null;
    // Summed on a date: its forecast has it, or its actual past the total's history stands there (Group.add).
    const summedOn = (m: Member, d: string) => m.forecastDates.has(d) || m.tail.includes(d);
    for (const m of this.members) {
      if (m.forecast === 'none') none.push(m);
      else if (anyForecastDates) {
        const f = m.forecast;
        const forecastIn = f !== null && (historyEnd === undefined || f.last > historyEnd) && (forecastEnd === undefined || f.first <= forecastEnd);
        if (!forecastIn && !m.tail.some(inRange)) outside.push(m);
        else {
          const missed = forecastDates.find((d) => !summedOn(m, d));
          if (missed !== undefined) {
            partial.push(m);
            if (from === null || missed < from) from = missed;
          }
        }
      }
      if (anyForecastDates && (m.forecast === 'none' || !summedOn(m, forecastDates[0]))) notFirst.push(m);
      if (historyEnd !== undefined && !has(m, historyEnd)) lacking.push(m);
    }
    // The SKUs whose histories end latest first: those an actuals file just missed, before SKUs stopped long ago.
    lacking.sort((a, b) => (lastOf(b) < lastOf(a) ? -1 : lastOf(b) > lastOf(a) ? 1 : a.sku < b.sku ? -1 : 1));
    return {
      noForecast: named(none),
      outsideForecast: named(outside),
      lastPeriod: historyEnd === undefined ? null : { date: historyEnd, ...named(lacking) },
      partialForecast: { ...named(partial), from },
      firstForecastDate: named(notFirst),
    };
  }
}

const lastOf = (m: Member) => m.tail.at(-1) ?? '';

/** Whether the member has a value on `date`: within its dates, and among its last ones when that close to its end. */
function has(m: Member, date: string): boolean {
  if (m.first === null || date < m.first || date > lastOf(m)) return false;
  return date < m.tail[0] || m.tail.includes(date);
}

function named(members: Member[]): NamedSkus {
  return { count: members.length, skus: members.slice(0, namedSkus).map((m) => m.sku) };
}
