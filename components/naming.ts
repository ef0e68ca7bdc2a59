/**
 * Name of a child resource: `<component>-<asset>` for a cluster-wide asset, `<component>-<asset>-<node>`
 * for a node's own, e.g. `prod-etcd-server-cp-1`. Keyed by node name, never by list index, so adding
 * or removing a node renames nothing else. A key, its CSR and its certificate share one name.
 */
export function childName(component: string, assetId: string, node?: string): string {
  return node === undefined ? `${component}-${assetId}` : `${component}-${assetId}-${node}`;
}

/**
 * Asset id of one generation of a CA or key pair: the id itself for generation 0 (so a stack that
 * never rotated keeps its names), `<id>-g<generation>` after, e.g. `etcd-ca-g1`.
 */
export function generationId(assetId: string, generation: number): string {
  return generation === 0 ? assetId : `${assetId}-g${generation}`;
}
