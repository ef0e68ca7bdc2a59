import { generateKeyPair, KeyObject, sign } from "node:crypto";
import { promisify } from "node:util";
import { BenchCluster } from "./clusters";

/** Measured cost of the two operations a PKI is made of, for one algorithm, in seconds of one core. */
export interface OperationCost {
  readonly keygenSeconds: number;
  readonly signSeconds: number;
  /** How many keys the key generation cost is the mean of. */
  readonly keysMeasured: number;
}

const generate = promisify(generateKeyPair);

/** A new private key, made on the thread pool as the render makes its keys. */
async function newKey(algorithm: BenchCluster["algorithm"]): Promise<KeyObject> {
  const { privateKey } = algorithm === "RSA-2048"
    ? await generate("rsa", { modulusLength: 2048 })
    : await generate("ec", { namedCurve: "P-256" });
  return privateKey;
}

/** CPU seconds this process has used, every thread: unlike wall time, not inflated by other jobs on a shared machine. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Mean CPU time of one key generation, and of one SHA-256 signature of a certificate-sized message,
 * with the OpenSSL Node links. Keys are generated all at once on the thread pool, so every core
 * works, as in the render and the openssl script. The mean, not the median, of many keys: RSA key
 * generation searches for primes, its time varies from key to key by a factor of several, and a
 * cluster's total is the sum over many keys (30 RSA keys gave means 20 % apart from run to run).
 */
export async function operationCost(algorithm: BenchCluster["algorithm"]): Promise<OperationCost> {
  const keysMeasured = algorithm === "RSA-2048" ? 160 : 2000;
  let started = cpuSeconds();
  const keys = await Promise.all(Array.from({ length: keysMeasured }, () => newKey(algorithm)));
  const keygenSeconds = (cpuSeconds() - started) / keysMeasured;
  const message = Buffer.alloc(1200, 7);
  const signatures = 500;
  started = cpuSeconds();
  for (let i = 0; i < signatures; i++) sign("sha256", message, keys[0]);
  const signSeconds = (cpuSeconds() - started) / signatures;
  return { keygenSeconds, signSeconds, keysMeasured };
}
