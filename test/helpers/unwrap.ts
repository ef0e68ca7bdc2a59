import * as pulumi from "@pulumi/pulumi";

/** The value of an Output once known (Output.promise is internal to the SDK). */
export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
