import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionAlgorithm, KubernetesPki, renderCloudInit, renderNodeBundle } from "../components";
import { CATALOG } from "../components/catalog";
import { placements } from "../components/placement";
import { bundleFloor, userDataFloor } from "../components/sizeFloor";
import { TlsEmulator } from "../offline/tlsEmulator";
import { unwrap } from "./helpers/unwrap";

describe("size floors (what preview can refuse before keys exist)", function () {
  this.timeout(600_000);
  const algorithms: EncryptionAlgorithm[] = ["RSA-2048", "RSA-4096", "ECDSA-P256", "ECDSA-P384"];

  for (const algorithm of algorithms) {
    it(`never exceeds the real user-data and bundle sizes with ${algorithm} keys`, async () => {
      await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
      const pki = new KubernetesPki("floor", {
        encryptionAlgorithm: algorithm,
        controlPlane: [{ name: "cp-1", address: "10.0.0.1" }],
        workers: algorithm === "RSA-4096" ? [] : [{ name: "w-1" }],
      });
      const files = await unwrap(pki.files);
      for (const node of pki.plan.nodes) {
        const placed = placements(CATALOG, node);
        const list = Object.values(files[node.name]);
        for (const compression of ["none", "files", "document"] as const) {
          const real = renderCloudInit(list, { compression }).bytes;
          const floor = userDataFloor(placed, pki.plan, compression);
          assert.ok(floor <= real, `${node.name} user-data ${compression}: floor ${floor} > real ${real}`);
          // Plain and per-file floors stay close; the whole-document floor counts random bytes only.
          if (compression !== "document") assert.ok(floor >= real / 2, `${node.name} user-data ${compression}: floor ${floor} is far below ${real}`);
        }
        for (const encoding of ["json", "gzip"] as const) {
          const real = renderNodeBundle(list, { encoding }).bytes;
          const floor = bundleFloor(placed, pki.plan, encoding);
          assert.ok(floor <= real, `${node.name} bundle ${encoding}: floor ${floor} > real ${real}`);
        }
      }
    });
  }
});
