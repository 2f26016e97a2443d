import { seededRandom } from '../seeded-random.js';

/**
 * Order-line exports as a shop or ERP writes them, for tests and the import benchmark: columns
 * `Order ID, Product, Quantity Ordered, Price Each, Order Date, Purchase Address`, a timestamp per
 * line (`04/19/19 08:46`), the header repeated where monthly exports were concatenated and lines
 * of bare commas. The generator is seeded and knows the answer: each product's monthly sum.
 */
export const orderProducts: Array<[string, number]> = [
  ['USB-C Charging Cable', 11.95], ['Lightning Charging Cable', 14.95], ['AAA Batteries (4-pack)', 2.99],
  ['AA Batteries (4-pack)', 3.84], ['Wired Headphones', 11.99], ['Apple Airpods Headphones', 150],
  ['Bose SoundSport Headphones', 99.99], ['27in FHD Monitor', 149.99], ['iPhone', 700], ['27in 4K Gaming Monitor', 389.99],
  ['34in Ultrawide Monitor', 379.99], ['Google Phone', 600], ['Flatscreen TV', 300], ['Macbook Pro Laptop', 1700],
  ['ThinkPad Laptop', 999.99], ['20in Monitor', 109.99], ['Vareebadd Phone', 400], ['LG Washing Machine', 600],
  ['LG Dryer', 600],
];

export const orderHeader = 'Order ID,Product,Quantity Ordered,Price Each,Order Date,Purchase Address';

const cities = ['San Francisco, CA 94016', 'Boston, MA 02215', 'New York City, NY 10001', 'Dallas, TX 75001', 'Atlanta, GA 30301', 'Seattle, WA 98101'];
const streets = ['Main St', '1st St', 'Park St', 'Lake St', 'Hill St', 'Elm St', 'Cedar St'];

export interface OrderExportOptions {
  lines: number; // data lines (orders), junk not included
  repeatedHeaders: number;
  emptyLines: number;
  seed?: number;
  /** Lines whose quantity is a return, written "(2)" (counted negative). */
  returns?: number;
}

export interface OrderExportAnswer {
  /** product -> 'yyyy-mm-01' -> summed quantity */
  monthly: Map<string, Map<string, number>>;
  /** 1-based line numbers (the header is line 1) of the junk lines */
  headerLines: number[];
  emptyLines: number[];
  totalLines: number;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The file as text chunks (about 64 KB each) and, once the generator has finished, the answer.
 * Dates run through 2019 with a few orders just after midnight on 2020-01-01, as real exports do.
 */
export function orderExport(options: OrderExportOptions): { chunks: Generator<string>; answer: OrderExportAnswer } {
  const random = seededRandom(options.seed ?? 12);
  const answer: OrderExportAnswer = { monthly: new Map(), headerLines: [], emptyLines: [], totalLines: 0 };
  const total = options.lines + options.repeatedHeaders + options.emptyLines;
  // Which of the lines after the header are junk: chosen up front, spread over the file.
  const junk = new Map<number, 'header' | 'empty'>();
  while (junk.size < options.repeatedHeaders) junk.set(2 + Math.floor(random() * total), 'header');
  while (junk.size < options.repeatedHeaders + options.emptyLines) {
    const at = 2 + Math.floor(random() * total);
    if (!junk.has(at)) junk.set(at, 'empty');
  }
  const returnEvery = options.returns ? Math.max(1, Math.floor(options.lines / options.returns)) : 0;
  const chunks = (function* generate(): Generator<string> {
    let out = `${orderHeader}\n`;
    let order = 176558;
    let data = 0;
    for (let line = 2; line <= total + 1; line++) {
      const kind = junk.get(line);
      if (kind === 'header') {
        out += `${orderHeader}\n`;
        answer.headerLines.push(line);
      } else if (kind === 'empty') {
        out += ',,,,,\n';
        answer.emptyLines.push(line);
      } else {
        const [product, price] = orderProducts[Math.floor(random() ** 1.6 * orderProducts.length)];
        let quantity = random() < 0.9 ? 1 : 1 + Math.floor(random() * 4);
        const isReturn = returnEvery > 0 && data % returnEvery === returnEvery - 1;
        const lateOrder = random() < 0.001;
        const month = lateOrder ? 1 : 1 + Math.floor(random() * 12);
        const year = lateOrder ? 2020 : 2019;
        const day = lateOrder ? 1 : 1 + Math.floor(random() * 28);
        const hour = lateOrder ? 0 : Math.floor(random() * 24);
        const minute = Math.floor(random() * 60);
        const quantityText = isReturn ? `(${quantity})` : String(quantity);
        if (isReturn) quantity = -quantity;
        const address = `${100 + Math.floor(random() * 900)} ${streets[Math.floor(random() * streets.length)]}, ${cities[Math.floor(random() * cities.length)]}`;
        out += `${order++},${product},${quantityText},${price},${two(month)}/${two(day)}/${String(year).slice(2)} ${two(hour)}:${two(minute)},"${address}"\n`;
        const key = `${year}-${two(month)}-01`;
        let byMonth = answer.monthly.get(product);
        if (!byMonth) answer.monthly.set(product, (byMonth = new Map()));
        byMonth.set(key, (byMonth.get(key) ?? 0) + quantity);
        data++;
      }
      if (out.length >= 65536) {
        yield out;
        out = '';
      }
    }
    answer.totalLines = total + 1;
    if (out) yield out;
  })();
  return { chunks, answer };
}

/** The whole export as one string, with its answer (small files for tests). */
export function orderExportText(options: OrderExportOptions): { text: string; answer: OrderExportAnswer } {
  const { chunks, answer } = orderExport(options);
  let text = '';
  for (const c of chunks) text += c;
  return { text, answer };
}

/** UTF-16 LE with a byte order mark, as Excel's "Unicode text" writes it. */
export function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
