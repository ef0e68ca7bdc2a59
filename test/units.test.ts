import * as assert from "node:assert/strict";
import { cidrAddress, parseCidr, parseHostPort } from "../components/addresses";
import { parseGoDurationHours } from "../components/duration";
import { formatExpiry, humanDuration } from "../components/expiryFormat";

describe("Go durations", () => {
  for (const [text, hours] of [["8760h", 8760], ["1h30m", 1.5], ["90m", 1.5], ["1.5h", 1.5], ["3600s", 1], ["0", 0], ["87600h0m0s", 87600]] as const) {
    it(`reads ${text} as ${hours}h`, () => assert.equal(parseGoDurationHours(text), hours));
  }
  for (const text of ["", "h", "1d", "1 h", "-1h", "1H"]) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseGoDurationHours(text), undefined));
  }
});

describe("addresses", () => {
  it("finds the first service IP of IPv4 and IPv6 CIDRs", () => {
    assert.equal(cidrAddress(parseCidr("10.96.0.0/12")!, 1), "10.96.0.1");
    assert.equal(cidrAddress(parseCidr("10.96.5.7/12")!, 10), "10.96.0.10");
    assert.equal(cidrAddress(parseCidr("fd00:10:96::/112")!, 1), "fd00:10:96::1");
    assert.equal(cidrAddress(parseCidr("fd00::/108")!, 10), "fd00::a");
  });

  it("splits host and port as Go does", () => {
    assert.deepEqual(parseHostPort("api.example.com:6443"), { host: "api.example.com", port: 6443 });
    assert.deepEqual(parseHostPort("api.example.com"), { host: "api.example.com" });
    assert.deepEqual(parseHostPort("[fd00::1]:443"), { host: "fd00::1", port: 443 });
    assert.equal(parseHostPort("fd00::1"), undefined, "an IPv6 host needs brackets");
    assert.equal(parseHostPort("[api.example.com]:443"), undefined);
    assert.equal(parseHostPort("api.example.com:0"), undefined);
  });
});

describe("expiry formatting", () => {
  it("formats dates as kubeadm check-expiration does", () => {
    assert.equal(formatExpiry(new Date("2034-05-11T09:39:12Z")), "May 11, 2034 09:39 UTC");
  });

  for (const [ms, text] of [
    [45_000, "45s"],
    [5 * 60_000 + 30_000, "5m30s"],
    [150 * 60_000, "150m"],
    [5 * 3_600_000 + 12 * 60_000, "5h12m"],
    [30 * 3_600_000, "30h"],
    [3 * 86_400_000 + 4 * 3_600_000, "3d4h"],
    [364 * 86_400_000, "364d"],
    [(2 * 365 + 30) * 86_400_000, "2y30d"],
    [3650 * 86_400_000, "10y"],
    [-5_000, "<invalid>"],
  ] as const) {
    it(`shows ${ms} ms as ${text}`, () => assert.equal(humanDuration(ms), text));
  }
});
