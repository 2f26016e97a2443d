import { describe, expect, it } from 'vitest';
import { controlOf, detailInPlannerWords, inPlannerWords } from './planner-words.js';

// The server's texts as it writes them (src/datasets); tests/planner-words.test.ts runs the server's own functions.
describe('inPlannerWords', () => {
  it('tells the 409 of an upload\'s Idempotency-Key still in flight as the earlier try still at work, never naming the key', () => {
    // The server's texts (src/api/idempotent-route.ts).
    const said = inPlannerWords('a request with this Idempotency-Key is still in progress');
    expect(said).toBe('your earlier try of this upload is still being processed: press it again in a moment to see its result (it will not be imported twice)');
    expect(detailInPlannerWords('headers.idempotency-key', 'another request with this key has not answered yet: send this one again once it has (its answer is then sent again)'))
      .toBe('the earlier try has not finished yet');
  });

  it('names absentSkus=zero by the How did we do checkbox, never by the parameter', () => {
    expect(inPlannerWords("3 of the dataset's SKUs have no line in this file (A, B, C): their histories are left as they were; if they sold nothing in these periods, send them with 0 (absentSkus=zero; CLI --absent-skus zero; in the web app, \"SKUs not in the file sold nothing\"), or their forecasts start at a period the others have actuals for"))
      .toBe("3 of the dataset's SKUs have no line in this file (A, B, C): their histories are left as they were; if they sold nothing in these periods, send them with 0 (tick “SKUs not in the file sold nothing”), or their forecasts start at a period the others have actuals for");
    expect(inPlannerWords("1 of the file's SKUs has no line for its last periods (A last on 2024-03-01, 1 period after): it got 0 for them, as SKUs with no line at all do (absentSkus=zero)"))
      .toBe("1 of the file's SKUs has no line for its last periods (A last on 2024-03-01, 1 period after): it got 0 for them, as SKUs with no line at all do (“SKUs not in the file sold nothing” was ticked)");
    expect(inPlannerWords('send the file with absentSkus=zero (in the web app, "SKUs not in the file sold nothing")')).toBe('send the file again with “SKUs not in the file sold nothing” ticked');
    expect(inPlannerWords("none of the file's 2 SKUs is in the dataset: with absentSkus=zero every SKU of the dataset would get 0")).toBe("none of the file's 2 SKUs is in the dataset: with “SKUs not in the file sold nothing” ticked every SKU of the dataset would get 0");
  });

  it('names weekStart by "Weeks start on", headerRow by "Header on line", charset by Encoding, sheet by Sheet', () => {
    expect(inPlannerWords("the column 'week_ending' dates each week by its last day, a sunday: read as weeks from monday to sunday, each dated by its monday (weekStart=monday; give weekStart to choose another)"))
      .toBe("the column 'week_ending' dates each week by its last day, a sunday: read as weeks from monday to sunday, each dated by its monday (“Weeks start on” monday; choose another day there)");
    expect(inPlannerWords("skipped 2 lines above the header (line 3): 'Sales report'; if the header is on another line, give it (headerRow; CLI --header-row; 'Header on line' in the web app)"))
      .toBe("skipped 2 lines above the header (line 3): 'Sales report'; if the header is on another line, enter it under “Header on line”");
    expect(inPlannerWords('headerRow 40 is past the end of the file')).toBe('“Header on line” 40 is past the end of the file');
    expect(inPlannerWords('save it as "CSV UTF-8 (Comma delimited)" in Excel, or declare its encoding (charset=windows-1252 over HTTP, --charset windows-1252 on the command line)'))
      .toBe('save it as "CSV UTF-8 (Comma delimited)" in Excel, or choose Encoding “Windows-1252 (Excel, Western Europe)”');
    expect(inPlannerWords("the workbook has 'Cover', 'Q4 sales' and the first, 'Cover', was read: give sheet=Q4 sales (CLI --sheet 'Q4 sales') to read another"))
      .toBe("the workbook has 'Cover', 'Q4 sales' and the first, 'Cover', was read: choose 'Q4 sales' under “Sheet” to read another");
  });

  it('says what fillGaps, dateFormat and maxRejected do, which no control of the web app sets', () => {
    expect(inPlannerWords('1 period filled with 0 had a line that was rejected: A 2024-04-01 (line 5: quantity is empty); fillGaps=zero feeds it to the models as no sales: fix that line and import again (maxRejected=0 refuses a file with any rejected line)'))
      .toBe('1 period filled with 0 had a line that was rejected: A 2024-04-01 (line 5: quantity is empty); filled with 0, the import feeds it to the models as no sales: fix that line and import again');
    expect(inPlannerWords('send their later rows, or import with fillGaps=report so their tails are not read as 0')).toBe('send their later rows, or have the file imported with missing periods left out rather than filled with 0 (the upload here always fills them)');
    expect(inPlannerWords("dates like '04/01/2024' could be day-first or month-first; read as day-first (give dateFormat to choose)")).toBe("dates like '04/01/2024' could be day-first or month-first; read as day-first (to choose, write the dates in the file as 2024-01-31)");
    expect(inPlannerWords('a text with none')).toBe('a text with none');
  });
});

describe('controlOf and detailInPlannerWords', () => {
  it("name a refusal's field by its control where the web app has one, and say its value as the control's state", () => {
    expect(controlOf('headerRow')).toBe('Header on line');
    expect(controlOf('absentSkus')).toBe('SKUs not in the file sold nothing');
    expect(controlOf('maxRejected')).toBeNull();
    expect(detailInPlannerWords('absentSkus', "zero gives the SKUs the file has no line for 0, and ...: or send it without absentSkus=zero to add them as new SKUs"))
      .toBe('ticked, it gives the SKUs the file has no line for 0, and ...: or send it with “SKUs not in the file sold nothing” not ticked to add them as new SKUs');
  });
});
