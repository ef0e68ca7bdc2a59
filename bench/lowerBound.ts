import { generateKeyPairSync, KeyObject, sign } from "node:crypto";
import { BenchCluster } from "./clusters";

/** Measured cost of the two operations a PKI is made of, for one algorithm, in seconds of one core. */
export interface OperationCost {
  readonly keygenSeconds: number;
  readonly signSeconds: number;
}

function newKey(algorithm: BenchCluster["algorithm"]): KeyObject {
  return algorithm === "RSA-2048"
    ? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
    : generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
}

/**
 * Mean time of one key generation and one SHA-256 signature of a certificate-sized message, with
 * the OpenSSL Node links, on one core. The mean, not the median: RSA key generation searches for
 * primes, and a cluster's total is the sum over many keys.
 */
export function operationCost(algorithm: BenchCluster["algorithm"]): OperationCost {
  const keys = algorithm === "RSA-2048" ? 30 : 300;
  let started = process.hrtime.bigint();
  let key = newKey(algorithm);
  for (let i = 1; i < keys; i++) key = newKey(algorithm);
  const keygenSeconds = Number(process.hrtime.bigint() - started) / 1e9 / keys;
  const message = Buffer.alloc(1200, 7);
  const signatures = 500;
  started = process.hrtime.bigint();
  for (let i = 0; i < signatures; i++) sign("sha256", message, key);
  const signSeconds = Number(process.hrtime.bigint() - started) / 1e9 / signatures;
  return { keygenSeconds, signSeconds };
}
