import { BootstrapTokenUsage, EncryptionProvider } from "./args";

/** A bootstrap token's validated, defaulted settings. */
export interface TokenPlan {
  readonly name: string;
  readonly ttlHours: number;
  readonly renewBeforeHours: number;
  readonly description: string;
  readonly usages: readonly BootstrapTokenUsage[];
  readonly groups: readonly string[];
}

/** Encryption at rest, validated and defaulted. */
export interface EncryptionPlan {
  readonly resources: readonly string[];
  /** Writing key first. */
  readonly keys: readonly { readonly name: string; readonly provider: EncryptionProvider }[];
}

/** The cluster-side bootstrap, validated and defaulted. */
export interface BootstrapPlan {
  readonly tokens: readonly TokenPlan[];
  readonly kubeProxy: boolean;
  /** Absent when encryption at rest is off. */
  readonly encryption?: EncryptionPlan;
}
