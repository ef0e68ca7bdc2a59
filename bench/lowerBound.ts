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

/** CPU seconds this process has used: unlike wall time, not inflated by other jobs on a shared machine. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Mean CPU time of one key generation and one SHA-256 signature of a certificate-sized message, with
 * the OpenSSL Node links, on one core. The mean, not the median: RSA key generation searches for
 * primes, and a cluster's total is the sum over many keys.
 */
export function operationCost(algorithm: BenchCluster["algorithm"]): OperationCost {
  const keys = algorithm === "RSA-2048" ? 30 : 300;
  let started = cpuSeconds();
  let key = newKey(algorithm);
  for (let i = 1; i < keys; i++) key = newKey(algorithm);
  const keygenSeconds = (cpuSeconds() - started) / keys;
  const message = Buffer.alloc(1200, 7);
  const signatures = 500;
  started = cpuSeconds();
  for (let i = 0; i < signatures; i++) sign("sha256", message, key);
  const signSeconds = (cpuSeconds() - started) / signatures;
  return { keygenSeconds, signSeconds };
}
