/**
 * The web app tells the server's warnings and refusals in its own words (web/src/components/
 * planner-words.ts): an option by the control that sets it ("SKUs not in the file sold nothing",
 * not `absentSkus=zero`). The mapping matches the server's phrases, so this runs the server's own
 * text functions through it: a phrase reworded on the server that the web app would show with
 * an API option in it fails here, not in front of a planner.
 */
import { describe, expect, it } from 'vitest';
import { absentSkusWarning, endedInFileWarning } from '../src/datasets/actuals.js';
import { heldBackWarning } from '../src/datasets/actuals-warnings.js';
import { endedEarlyWarning, futureRowsWarning, rejectedFilledWarning } from '../src/datasets/accumulator-warnings.js';
import { readCsvDataset } from '../src/datasets/csv-dataset-reader.js';
import { DatasetValidationError } from '../src/datasets/dataset-validation-error.js';
import { resolveDayOrder } from '../src/datasets/day-order.js';
import { skippedWarning } from '../src/datasets/header-row.js';
import { implausibleMonthLabels, unreadMonthLabel } from '../src/datasets/month-labels.js';
import { notUtf8 } from '../src/datasets/not-utf8.js';
import { offeringSheets } from '../src/datasets/sheet-choice.js';
import { detailInPlannerWords, inPlannerWords } from '../web/src/components/planner-words.js';

/** An API option as the server's texts name it: `name=value`, the bare name, or a CLI flag. */
const apiWords = /\b(absentSkus|weekStart|fillGaps|headerRow|dateFormat|maxRejected)\b|\b(charset|sheet|format)=|CLI --|--[a-z]+-[a-z]+/;

async function refusal(run: () => Promise<unknown>): Promise<DatasetValidationError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DatasetValidationError) return error;
    throw error;
  }
  throw new Error('not refused');
}

const ended = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `S${i}`, last: '2024-03-01', periods: 2 }));

describe("the server's texts in the web app's words", () => {
  it('leaves no API option in the warnings of an import and of an append', async () => {
    const weekEnding = await readCsvDataset(['sku,week_ending,units\nA,2024-01-07,1\nA,2024-01-14,2\nA,2024-01-21,3\nA,2024-01-28,4\n'], { fillGaps: 'zero', minLength: 0 });
    const weekWarning = weekEnding.report.warnings.find((w) => w.includes('dates each week by its last day'));
    expect(weekWarning, weekEnding.report.warnings.join('\n')).toBeDefined();
    const texts = [
      weekWarning!,
      absentSkusWarning(['A', 'B'], 'keep', 0),
      absentSkusWarning(['A', 'B'], 'zero', 0),
      absentSkusWarning(['A'], 'zero', 1),
      absentSkusWarning(['A', 'B'], 'zero', 2),
      absentSkusWarning(['A', 'B', 'C'], 'zero', 1),
      endedInFileWarning(ended(1), 'keep'),
      endedInFileWarning(ended(2), 'zero'),
      ...heldBackWarning([{ sku: 'A', line: 3 }], [{ sku: 'B', line: 5 }], 'zero'),
      futureRowsWarning([{ sku: 'A', line: 3, date: '2099-01-01', periods: 900, lines: 1 }], 1, 'monthly', '2024-06-01', '2024-06-10'),
      rejectedFilledWarning([{ sku: 'A', date: '2024-04-01', line: 5, reason: 'quantity is empty' }]),
      endedEarlyWarning(ended(6), 'monthly', '2024-06-01', 'zero'),
      endedEarlyWarning(ended(6), 'monthly', '2024-06-01', 'report'),
      skippedWarning({ headerLine: 3, firstText: 'Sales report Q4' }),
      resolveDayOrder(['01/02/2024', '13/02/2024', '02/13/2024']).warning!,
      resolveDayOrder(['13/01/2024'], 'mdy').warning!,
      resolveDayOrder(['04/01/2024'], 'unrecorded').warning!,
      resolveDayOrder(['04/01/2024']).warning!,
    ];
    for (const text of texts) {
      expect(text).toMatch(apiWords); // the server's text still names the option (else this test checks nothing)
      expect(inPlannerWords(text), text).not.toMatch(apiWords);
    }
  });

  it("leaves no API option in a refusal's message and details", async () => {
    const errors = [
      notUtf8(new Uint8Array([0x61, 0x0a, 0xe9, 0x0a]), 1, 'utf-8'),
      await refusal(() => readCsvDataset(['sku,date,sales\nA,2024-01-01,1\n'], { fillGaps: 'zero', minLength: 0, headerRow: 40 })),
      await refusal(() => readCsvDataset(['Date,45001,45002,45003\n01.01.2024,5,6,7\n01.02.2024,5,6,7\n'], { fillGaps: 'zero', minLength: 0 })),
      unreadMonthLabel([{ text: 'Jan-24', read: true, where: 'line 2' }, { text: 'Xyz-24', read: false, where: 'line 3' }])!,
      implausibleMonthLabels([{ text: 'Jan-01', day: 11_323, where: 'line 2' }, { text: 'Jan-02', day: 11_688, where: 'line 3' }, { text: 'Jan-03', day: 12_053, where: 'line 4' }], 2024)!,
      offeringSheets(new DatasetValidationError('no rows', [{ path: 'file', message: 'no rows' }]), { sheets: ['Cover', 'Q4 sales'], read: 'Cover' }, undefined) as DatasetValidationError,
    ];
    for (const error of errors) {
      const parts = [error.message, ...error.details.map((d) => detailInPlannerWords(d.path, d.message))];
      expect([error.message, ...error.details.map((d) => d.message)].join('\n')).toMatch(apiWords);
      for (const part of parts) expect(inPlannerWords(part), part).not.toMatch(apiWords);
    }
  });
});
