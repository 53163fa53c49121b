// base64 (how the WebSocket bridge carries a typed array inside JSON) back to bytes: the browser's native
// decoder where there is one (Chromium 140+), atob otherwise.
export function bytesFromBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
