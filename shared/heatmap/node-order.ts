// Node names in the order an admin reads them: gpu-2 before gpu-10. One shared Intl.Collator, because
// String.prototype.localeCompare with options builds a collator per call: sorting 1,000 names that way
// took ~150 ms here, with one collator ~7 ms.
const collator = new Intl.Collator('en', { numeric: true });

export const compareNodeNames: (a: string, b: string) => number = collator.compare;
