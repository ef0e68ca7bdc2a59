import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { isReadyForRenewal } from "../../../components/rotation/renewal";
import { requiresReplace } from "../../../offline/tls/renewal";
import { TlsResourceType } from "../../../offline/tls/tokens";
import { unwrapSecrets } from "../../../offline/tls/secret";
import { validateInputs } from "../../../offline/tls/validate";
import { TLS_CREATE_HANDLERS } from "../../../offline/tlsEmulator";

/**
 * Test-only: the instant the plugin takes as "now" (RFC 3339), for every create, diff and read.
 * Unset: the real clock. The engine tests set it to step a stack into a renewal window.
 */
export const CLOCK_ENV = "KUBERNETES_PKI_TLS_NOW";

/** `earlyRenewalHours`: the one input of a certificate that changes in place (docs/tls-provider.md §10). */
const IN_PLACE_DEFAULTS: Readonly<Record<string, unknown>> = { earlyRenewalHours: 0 };

type Props = Record<string, unknown>;

/** The plugin's "now": {@link CLOCK_ENV} when set, else the real clock. */
export function pluginNow(env: NodeJS.ProcessEnv = process.env): Date {
  const text = env[CLOCK_ENV];
  if (text === undefined || text === "") return new Date();
  const now = new Date(text);
  if (Number.isNaN(now.getTime())) throw new Error(`${CLOCK_ENV}: "${text}" is not an RFC 3339 time`);
  return now;
}

/** The packages the emulator serves as provider plugins. */
export type EmulatedPackage = "tls" | "random";

/** The type token of a URN (`…::<parent type>$tls:index/privateKey:PrivateKey::<name>`) if `pkg` has it, else an error. */
export function resourceTypeOf(pkg: EmulatedPackage, urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  const type = qualifiedType.split("$").pop() ?? "";
  if (!type.startsWith(`${pkg}:`) || TLS_CREATE_HANDLERS[type] === undefined) throw new Error(`unknown resource type ${type} (${urn})`);
  return type;
}

/** Wire values (the engine's unknown sentinel string) → SDK values (`pulumi.unknown`), at any depth. */
function fromWire(v: unknown): unknown {
  if (v === pulumi.runtime.unknownValue) return pulumi.unknown;
  if (Array.isArray(v)) return v.map(fromWire);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fromWire(e)]));
  return v;
}

/** SDK values → wire values: `pulumi.unknown` becomes the engine's unknown sentinel, at any depth. */
function toWire(v: unknown): unknown {
  if (pulumi.isUnknown(v)) return pulumi.runtime.unknownValue;
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, toWire(e)]));
  return v;
}

/** Plain values (secrets unwrapped, unknowns as `pulumi.unknown`) of wire properties. */
const plain = (props: unknown): Props => unwrapSecrets(fromWire(props ?? {})) as Props;

/** A `@pulumi/random` resource: every input forces a new value (its schema marks them all ForceNew). */
function randomReplaces(prior: Props, planned: Props): string[] {
  return Object.keys(planned).filter((prop) => pulumi.isUnknown(planned[prop]) || !isDeepStrictEqual(planned[prop], prior[prop]));
}

/** Inputs that differ without forcing a replacement: `earlyRenewalHours`, compared with its default. */
function inPlaceChanges(prior: Props, planned: Props): string[] {
  return Object.entries(IN_PLACE_DEFAULTS)
    .filter(([prop, fallback]) => !isDeepStrictEqual(planned[prop] ?? fallback, prior[prop] ?? fallback))
    .map(([prop]) => prop);
}

/**
 * The emulator as the resource provider of one package for the Pulumi engine. For `tls`, the four
 * `@pulumi/tls` resources as the real plugin answers them (docs/tls-provider.md): `check`
 * runs the provider's validation; `diff` replaces on the §10 inputs and inside the §9 renewal
 * window (`readyForRenewal`), updates `earlyRenewalHours` in place; `create` makes real keys and
 * certificates with secret key outputs; `read` (refresh) only flips `readyForRenewal` to true
 * inside the window; `update` stores the new inputs; `delete` forgets. For `random`,
 * `RandomString`, `RandomPassword` and `RandomBytes`, replaced on any input change. The engine plans
 * previews itself (the host does not preview creates), so outputs of a planned create are unknown.
 */
export function emulatorProvider(pkg: EmulatedPackage, version: string, now: () => Date = () => pluginNow()): provider.Provider {
  return {
    version,

    async check(urn, _olds, news) {
      const type = resourceTypeOf(pkg, urn);
      try {
        validateInputs(type, plain(news));
        return { inputs: news };
      } catch (error) {
        return { inputs: news, failures: (error as Error).message.split("\n").map((reason) => ({ property: "", reason })) };
      }
    },

    async diff(_id, urn, olds, news) {
      const type = resourceTypeOf(pkg, urn);
      const prior = plain(olds);
      const planned = plain(news);
      if (pkg === "random") {
        const replaces = randomReplaces(prior, planned);
        return { changes: replaces.length > 0, replaces };
      }
      const replaces = requiresReplace(prior, planned, now(), type as TlsResourceType);
      const changes = replaces.length > 0 || inPlaceChanges(prior, planned).length > 0;
      return { changes, replaces };
    },

    async create(urn, inputs) {
      const type = resourceTypeOf(pkg, urn);
      const result = await TLS_CREATE_HANDLERS[type](fromWire(inputs) as Props, {
        preview: false,
        now: now(),
        warn: (message) => console.error(`warning: ${message}`),
      });
      return { id: result.id as string, outs: toWire(result.state) };
    },

    async read(id, urn, props) {
      const type = resourceTypeOf(pkg, urn);
      const state = plain(props);
      const due = type.startsWith("tls:") && type.endsWith("Cert") && typeof state.validityEndTime === "string" && isReadyForRenewal(
        { validityEndTime: state.validityEndTime, earlyRenewalHours: state.earlyRenewalHours as number | undefined }, now(),
      );
      return { id, props: due ? { ...(props as Props), readyForRenewal: true } : props };
    },

    async update(_id, urn, olds, news) {
      resourceTypeOf(pkg, urn);
      return { outs: { ...(olds as Props), ...(news as Props) } };
    },

    async delete(_id, urn) {
      resourceTypeOf(pkg, urn);
    },
  };
}
