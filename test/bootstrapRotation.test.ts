import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { EncryptionKeyArgs, KubernetesPki, tokenPeriod } from "../components";
import { TlsEmulator } from "../offline/tlsEmulator";
import { sampleArgs } from "./helpers/sampleArgs";
import { unwrap } from "./helpers/unwrap";

const HOUR = 3_600_000;

describe("bootstrap token generations (tokenPeriod)", () => {
  const at = (iso: string): Date => new Date(iso);

  it("a 24h token renewed 6h before expiry starts a generation every 18h and lives 24h", () => {
    const p = tokenPeriod(at("1970-01-01T20:00:00Z"), 24, 6);
    assert.equal(p.issuedAt.toISOString(), "1970-01-01T18:00:00.000Z");
    assert.equal(p.expiresAt.toISOString(), "1970-01-02T18:00:00.000Z");
  });

  it("within a generation the token is the same; the next generation starts renewBefore hours before it expires", () => {
    const first = tokenPeriod(at("2026-11-30T00:00:00Z"), 24, 6);
    const later = tokenPeriod(new Date(first.issuedAt.getTime() + 18 * HOUR - 1), 24, 6);
    const next = tokenPeriod(new Date(first.issuedAt.getTime() + 18 * HOUR), 24, 6);
    assert.equal(later.issuedAt.getTime(), first.issuedAt.getTime());
    assert.equal(next.issuedAt.getTime() - first.issuedAt.getTime(), 18 * HOUR);
    assert.equal(first.expiresAt.getTime() - next.issuedAt.getTime(), 6 * HOUR);
  });

  it("at any time the current token has at least renewBefore left", () => {
    for (let t = 0; t < 100 * HOUR; t += 1_234_567) {
      const now = new Date(Date.UTC(2026, 10, 30) + t);
      const p = tokenPeriod(now, 24, 6);
      const left = p.expiresAt.getTime() - now.getTime();
      assert.ok(left > 6 * HOUR && left <= 24 * HOUR, `${now.toISOString()}: ${left / HOUR}h left`);
    }
  });
});

/**
 * The three steps of an encryption key rotation, as edits of `encryptionAtRest.keys`. Each step
 * changes the configuration every control-plane node gets (so preview shows the files and the
 * user-data as changed); no step re-creates a key that stays.
 */
describe("encryption key rotation in three steps", () => {
  let emulator: TlsEmulator;
  before(async () => {
    emulator = new TlsEmulator();
    await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
  });

  const STEPS: { title: string; keys: EncryptionKeyArgs[]; order: string[] }[] = [
    { title: "before: key1 encrypts", keys: [{ name: "key1" }], order: ["key1"] },
    { title: "1. add key2 as secondary: key1 still encrypts, every API server can read key2", keys: [{ name: "key1" }, { name: "key2" }], order: ["key1", "key2"] },
    { title: "2. promote key2: it encrypts, key1 still decrypts", keys: [{ name: "key2" }, { name: "key1" }], order: ["key2", "key1"] },
    { title: "3. drop key1 once every object is rewritten", keys: [{ name: "key2" }], order: ["key2"] },
  ];

  const configs: string[] = [];
  STEPS.forEach((step, i) => {
    it(step.title, async () => {
      const pki = new KubernetesPki(`rot${i}`, sampleArgs({ encryptionAlgorithm: "ECDSA-P256", encryptionAtRest: { keys: step.keys } }));
      const text = await unwrap(pki.encryptionConfiguration!);
      const config = parse(text) as { resources: { providers: Record<string, { keys?: { name: string; secret: string }[] }>[] }[] };
      const keys = config.resources[0].providers[0].secretbox.keys!;
      assert.deepEqual(keys.map((k) => k.name), step.order);
      assert.deepEqual(Object.keys(config.resources[0].providers[1]), ["identity"]);
      for (const key of keys) assert.equal(Buffer.from(key.secret, "base64").length, 32);
      const keyResources = emulator.resources.filter((r) => r.type === "random:index/randomBytes:RandomBytes" && r.name.startsWith(`rot${i}-`));
      assert.deepEqual(keyResources.map((r) => r.name).sort(), step.order.map((k) => `rot${i}-encryption-key-${k}`).sort(), "one RandomBytes per key name");
      if (i > 0) assert.notEqual(text.replace(/secret: .*/g, ""), configs[i - 1].replace(/secret: .*/g, ""), "the configuration changes");
      configs.push(text);
    });
  });
});
