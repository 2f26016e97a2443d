/**
 * The longest SKU Skucast takes, in characters (UTF-16 code units, as JavaScript counts them).
 * Product names become SKUs and composite keys join their parts with " / ", so long SKUs are
 * real; but every SKU must also travel as one URL path segment (`/api/datasets/:id/skus/:sku`),
 * and the API's router is sized from this cap (src/api/app.ts). A line naming a longer SKU is
 * refused by every door a SKU comes in by: the import's reader rejects the line, POST /api/jobs
 * names `data[i].sku`.
 */
export const MAX_SKU_LENGTH = 1000;

export function skuTooLong(sku: string): string {
  return `SKU is ${sku.length} characters long: at most ${MAX_SKU_LENGTH} are taken`;
}
