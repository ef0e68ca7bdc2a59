/** An exact, unshared `ArrayBuffer` copy of some bytes (Node Buffers may be views into a pool). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
