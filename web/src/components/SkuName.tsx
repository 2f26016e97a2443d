/**
 * A SKU's name where it may not fit (the SKU list): the start is cut with an ellipsis, the end stays
 * whole, so "Berlin Mitte / ART-1038" reads "Berlin Mi… / ART-1038", not "Berlin Mitte / ART-1…"
 * (every item of a store looked alike). The whole name is in the title. The end is the last part
 * of a composite key with its " / " (so the cut start still reads as a store), else the last 8 characters.
 */
export function splitSkuName(sku: string): { head: string; tail: string } {
  const at = sku.lastIndexOf(' / ');
  if (at > 0) return { head: sku.slice(0, at), tail: sku.slice(at) };
  if (sku.length <= 12) return { head: '', tail: sku };
  return { head: sku.slice(0, -8), tail: sku.slice(-8) };
}

export function SkuName({ sku, className = 'sku-name' }: { sku: string; className?: string }) {
  const { head, tail } = splitSkuName(sku);
  return (
    <span className={className} title={sku}>
      {head ? <span className="sku-name-head">{head}</span> : null}
      <span className="sku-name-tail">{tail}</span>
    </span>
  );
}
