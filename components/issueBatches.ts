import * as pulumi from "@pulumi/pulumi";

/**
 * Workers whose certificates are registered together. Up to this many workers a stack registers
 * every resource when the component is constructed, as any Pulumi program does. Past it, the
 * workers' keys, CSRs, certificates and renewal checks are registered in batches of this many
 * nodes, each once the engine has answered every certificate of the batch before (their URNs
 * known, in a preview as in an update). Every resource holds about 15–25 `Output`s with their
 * promises until it is answered, so registering 1,000 workers at once holds over 1 GB; in batches
 * of 100 what stays live is the answered resources' outputs, about 450 MB at 1,000 workers. An
 * update of a large cluster thus runs in waves of 1,200 resources.
 */
export const WORKERS_PER_BATCH = 100;

/** A leaf issued later, in a batch: what it resolves to, and its issuance. */
interface Deferred<T> {
  readonly issue: () => { issued: T; registered: pulumi.Output<unknown> };
  readonly settle: (issued: T) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Registers the issuances handed to {@link IssueBatches.later} in batches (see
 * {@link WORKERS_PER_BATCH}). If a resource of a batch fails, or an issuance throws, every issuance
 * not yet made fails with the same error, so nothing waits forever for a resource never registered.
 */
export class IssueBatches<T> {
  private readonly batches: Deferred<T>[][] = [];
  private readonly registeredNow: pulumi.Output<unknown>[] = [];

  /** Records a resource registered at construction: the first batch waits for it. */
  now(registered: pulumi.Output<unknown>): void {
    this.registeredNow.push(registered);
  }

  /**
   * Puts off an issuance into batch `batch` (1 and up) and returns a promise of what it issues.
   * `issue` must register the resources and return what was issued and an Output known once the
   * engine answered the last of them (a URN).
   */
  later(batch: number, issue: () => { issued: T; registered: pulumi.Output<unknown> }): Promise<T> {
    return new Promise<T>((settle, fail) => {
      (this.batches[batch - 1] ??= []).push({ issue, settle, fail });
    });
  }

  /** Starts registering the batches, one after the other; call once, after construction. */
  start(): void {
    const batches = this.batches.filter((batch) => batch !== undefined);
    if (batches.length === 0) return;
    void (async () => {
      let waitFor = this.registeredNow;
      for (const [index, batch] of batches.entries()) {
        try {
          await Promise.all(waitFor.map(answered));
          waitFor = batch.map((deferred) => {
            const { issued, registered } = deferred.issue();
            deferred.settle(issued);
            return registered;
          });
        } catch (error) {
          // A settled promise ignores `fail`: only this batch's rest and the later batches fail.
          for (const rest of batches.slice(index)) rest.forEach((deferred) => deferred.fail(error));
          return;
        }
      }
    })();
  }
}

/**
 * Resolves once the engine answered the resource whose Output this is, rejects when it failed. An
 * Output's `isKnown` promise (present on every Output, left out of the SDK's public typings) settles
 * with its value, known or not; `apply` would never run for an unknown value, nor on a failure.
 */
async function answered(output: pulumi.Output<unknown>): Promise<void> {
  await (output as unknown as { readonly isKnown: Promise<boolean> }).isKnown;
}
