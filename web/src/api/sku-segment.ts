/**
 * A SKU as one URL path segment, as the API reads it (docs/http-api.md): URL parsers drop "." and
 * ".." segments (and their %2E spellings), so a SKU called that is written with a leading "~", as
 * is any name of "~"s before one or two dots; reading strips exactly one "~". The same rule serves
 * the API's paths and the app's own links.
 */
const dotName = /^~*\.{1,2}$/;

/** The path segment for a SKU, before percent-encoding. */
export function skuSegment(sku: string): string {
  return dotName.test(sku) ? `~${sku}` : sku;
}

/** The SKU a path segment names. */
export function skuFromSegment(segment: string): string {
  return segment.startsWith('~') && dotName.test(segment) ? segment.slice(1) : segment;
}
