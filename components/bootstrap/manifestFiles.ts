import { stringify } from "yaml";
import { BootstrapObject, Manifest } from "./objects";

/** One bootstrap object as a YAML file for `kubectl apply -f <dir>`. */
export interface ManifestFile {
  /** `NN-<key>.yaml`: the number keeps the table's order (roles before bindings) in a directory listing. */
  readonly name: string;
  readonly content: string;
  /** True when the object holds a credential: write it `0600`. */
  readonly secret: boolean;
}

/** One YAML document per object, in table order. */
export function manifestFiles(objects: readonly BootstrapObject[], manifests: readonly Manifest[]): ManifestFile[] {
  const width = String(objects.length).length;
  return objects.map((object, i) => ({
    name: `${String(i + 1).padStart(Math.max(2, width), "0")}-${object.key.replace(/[^a-z0-9.-]/g, "-")}.yaml`,
    content: stringify(manifests[i], { lineWidth: 0 }),
    secret: object.secret,
  }));
}
