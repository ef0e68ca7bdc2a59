/** Every PEM block of a text (a bundle of certificates, or of public keys), each from BEGIN to END, in order. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
}

/** The first PEM block of a bundle with its newline (the issuing CA, in a bundle this package writes); the text itself when it holds none. */
export function firstPemBlock(pem: string): string {
  const [first] = pemBlocks(pem);
  return first === undefined ? pem : `${first}\n`;
}
