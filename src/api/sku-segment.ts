/**
 * A SKU as one URL path segment. URL parsers drop "." and ".." segments, %2E spellings included,
 * before a request is sent, so `/skus/..` can never reach a route: a SKU called that is written
 * with a leading "~" (`/skus/~..`), as is any name of "~"s before one or two dots, so that reading
 * strips exactly one "~" and every name comes back as it was. The web app writes its own links
 * by the same rule (web/src/api/sku-segment.ts; web knows only the HTTP contract).
 */
const dotName = /^~*\.{1,2}$/;

/** The SKU a `:sku` path segment names. */
export function skuFromSegment(segment: string): string {
  return segment.startsWith('~') && dotName.test(segment) ? segment.slice(1) : segment;
}

/** The path segment for a SKU (before percent-encoding). */
export function skuSegment(sku: string): string {
  return dotName.test(sku) ? `~${sku}` : sku;
}
