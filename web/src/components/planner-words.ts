/**
 * The API's warnings and refusals, told in the web app's words. The server writes one text for
 * every client, and where it says what to change it names the HTTP option (`absentSkus=zero`,
 * `weekStart=sunday`, `fillGaps=report`, `headerRow`), which a planner on a page cannot type. Here
 * an option is named by the control that sets it ("SKUs not in the file sold nothing", "Weeks
 * start on", "Header on line", Encoding, Sheet, Format), or, where the web app has none (fillGaps,
 * dateFormat, maxRejected), by what it does.
 *
 * Mapped here, in the web layer, rather than by a structured `option` field from the server: the
 * JSON stays as integrators read it (`report.warnings` is a list of strings, their texts name the
 * parameters they send), and the controls' labels are the web app's to say. The phrases are the
 * server's: tests/planner-words.test.ts runs the server's own warning texts through this and fails
 * when one names an option this leaves in.
 */

const absentZero = '“SKUs not in the file sold nothing”';
const windows1252 = '“Windows-1252 (Excel, Western Europe)”';

/** Phrases first (they say the sentence's verb), then any option left alone by its control's words. */
const rewrites: Array<[RegExp, string]> = [
  // absentSkus: the checkbox of How did we do.
  [/\(absentSkus=zero; CLI --absent-skus zero; in the web app, "SKUs not in the file sold nothing"\)/g, `(tick ${absentZero})`],
  [/send the file with absentSkus=zero \(in the web app, "SKUs not in the file sold nothing"\)/g, `send the file again with ${absentZero} ticked`],
  [/without absentSkus=zero/g, `with ${absentZero} not ticked`],
  [/with absentSkus=zero/g, `with ${absentZero} ticked`],
  [/\(absentSkus=zero\)/g, `(${absentZero} was ticked)`],
  [/absentSkus=zero/g, `${absentZero} ticked`],
  // weekStart: "Weeks start on" of the upload.
  [/\(weekStart=(\w+); give weekStart to choose another\)/g, '(“Weeks start on” $1; choose another day there)'],
  [/give weekStart/g, 'choose under “Weeks start on”'],
  [/weekStart=(\w+)/g, '“Weeks start on” $1'],
  // headerRow: "Header on line" of the upload and of How did we do.
  [/give it \(headerRow; CLI --header-row; 'Header on line' in the web app\)/g, 'enter it under “Header on line”'],
  [/give it as headerRow \(CLI --header-row\)/g, 'enter it under “Header on line”'],
  [/\bheaderRow (\d+)/g, '“Header on line” $1'],
  // charset: the Encoding select.
  [/declare its encoding \(charset=windows-1252 over HTTP, --charset windows-1252 on the command line\)/g, `choose Encoding ${windows1252}`],
  [/charset=windows-1252/g, `Encoding ${windows1252}`],
  // sheet: the Sheet select of a workbook.
  [/give sheet=(.*?) \(CLI --sheet '(?:[^']|'')*'\) to read another/g, "choose '$1' under “Sheet” to read another"],
  // format: the Format select.
  [/give format=long and a mapping/g, 'choose Format “long (a row per sku and date)” and its columns'],
  // fillGaps: no control; every upload of the web app fills missing periods with 0.
  [/filled with 0 under fillGaps=zero/g, 'filled with 0, as the import fills missing periods'],
  [/are filled with 0 as fillGaps=zero says/g, 'are filled with 0, as the import fills missing periods'],
  [/fillGaps=zero feeds (it|them) to/g, 'filled with 0, the import feeds $1 to'],
  [/, or import with fillGaps=report so their tails are not read as 0/g, ', or have the file imported with missing periods left out rather than filled with 0 (the upload here always fills them)'],
  [/with fillGaps=report these/g, 'as this dataset was imported with missing periods left out, these'],
  [/fillGaps=zero/g, 'missing periods filled with 0'],
  [/fillGaps=report/g, 'missing periods left out'],
  // maxRejected: no control (a strict mode for scripts): the advice is dropped.
  [/ \(maxRejected=0 refuses a file with any rejected line\)/g, ''],
  // dateFormat: no control; dates written as 2024-01-31 leave nothing to choose.
  [/\(give dateFormat to choose\)/g, '(to choose, write the dates in the file as 2024-01-31)'],
  [/, or give dateFormat=\S+ if they are months/g, ''],
  [/, or give dateFormat,/g, ''],
  [/give dateFormat(=\S+)?/g, 'write the dates in the file as 2024-01-31'],
  // The 409 of an Idempotency-Key in flight, shown once the client stopped asking again (api/client.ts):
  // the key is the app's, not the planner's; the earlier try of the same upload is what is still at work.
  [/^a request with this Idempotency-Key is still in progress$/, 'your earlier try of this upload is still being processed: press it again in a moment to see its result (it will not be imported twice)'],
  [/^another request with this key has not answered yet: send this one again once it has \(its answer is then sent again\)$/, 'the earlier try has not finished yet'],
];

/** A text of the API with every option it names told by the web app's control, or by what it does. */
export function inPlannerWords(text: string): string {
  return rewrites.reduce((out, [pattern, words]) => out.replace(pattern, words), text);
}

/** The API's field names (`details[].path`) the web app has a control for, by that control's label. */
const controls: Record<string, string> = {
  absentSkus: 'SKUs not in the file sold nothing',
  weekStart: 'Weeks start on',
  headerRow: 'Header on line',
  charset: 'Encoding',
  sheet: 'Sheet',
  format: 'Format',
  frequency: 'Period',
  'mapping.sku': 'SKU column',
  'mapping.date': 'Date column',
  'mapping.quantity': 'Quantity column',
};

/** The label of the control that sets an API field, or null when the page has none (the path is shown then). */
export function controlOf(path: string): string | null {
  return controls[path] ?? null;
}

/** A refusal's detail about a field with a control: its message in the control's terms. */
export function detailInPlannerWords(path: string, message: string): string {
  // "absentSkus: zero gives the SKUs ... 0": the value is the box being ticked.
  const said = path === 'absentSkus' ? message.replace(/^zero gives/, 'ticked, it gives') : message;
  return inPlannerWords(said);
}
