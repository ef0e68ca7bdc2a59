/** Universal DER tag octets (with the constructed bit for SEQUENCE and SET). */
export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
  UTF8_STRING: 0x0c, PRINTABLE_STRING: 0x13, TELETEX_STRING: 0x14, IA5_STRING: 0x16, UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18, BMP_STRING: 0x1e, SEQUENCE: 0x30, SET: 0x31,
} as const;

/** The tag octet of context-specific `[n]` (n below 31), constructed for an explicit tag or a constructed type. */
export function contextTag(n: number, constructed: boolean): number {
  return (constructed ? 0xa0 : 0x80) | n;
}
