const UNIT_NANOSECONDS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const COMPONENT = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/;

/**
 * Parses a Go duration (`time.ParseDuration`: `8760h`, `1h30m`, `90m`, `1.5h`) into hours.
 * Returns undefined for text Go would reject, and for negative durations, which no validity can be.
 */
export function parseGoDurationHours(text: string): number | undefined {
  if (text === "0") return 0;
  let rest = text;
  let nanoseconds = 0;
  if (rest.length === 0) return undefined;
  while (rest.length > 0) {
    const match = COMPONENT.exec(rest);
    if (match === null) return undefined;
    nanoseconds += Number(match[1]) * UNIT_NANOSECONDS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return nanoseconds / 3600e9;
}
