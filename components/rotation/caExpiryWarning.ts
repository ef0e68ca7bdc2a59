import * as pulumi from "@pulumi/pulumi";
import { CaId } from "../catalog/types";
import { rotationNow } from "./clock";
import { isReadyForRenewal } from "./renewal";

/** The warning for a CA certificate inside its renewal window: never replaced automatically, rotated in stages. */
export function caExpiryMessage(component: string, ca: CaId, generation: number, validityEndTime: string, renewBeforeHours: number): string {
  const next = generation + 1;
  const field = ca === "ca" ? "rotation.ca" : `rotation["${ca}"]`;
  return (
    `KubernetesPki "${component}": CA "${ca}" (generation ${generation}) expires ${validityEndTime}, ` +
    `within caCertificateRenewBefore (${renewBeforeHours}h). CA certificates are never replaced automatically; ` +
    `rotate it in three updates, checking the cluster after each: ${field} = { generation: ${next}, phase: "prepare" } ` +
    `(new CA in every trust bundle), then phase "switch" (every leaf re-issued by the new CA), then phase "finish" (old CA removed)`
  );
}

/**
 * Warns (`pulumi.log.warn`) during every preview and update of an existing stack while a CA
 * certificate is inside its window. Nothing is printed while the expiry is unknown (a new CA).
 */
export function warnWhenCaDue(
  component: string, ca: CaId, generation: number, validityEndTime: pulumi.Output<string>, renewBeforeHours: number, resource: pulumi.Resource,
): void {
  validityEndTime.apply((end) => {
    if (typeof end === "string" && isReadyForRenewal({ validityEndTime: end, earlyRenewalHours: renewBeforeHours }, rotationNow())) {
      void pulumi.log.warn(caExpiryMessage(component, ca, generation, end, renewBeforeHours), resource);
    }
  });
}
