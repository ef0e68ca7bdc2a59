import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsSecretsManagerFetchCommand, bundleInstallScript, KubernetesPki, SECRET_STORE_LIMITS } from "kubernetes-pki";

// Control-plane instances get fixed private addresses, so their certificates can name them.
const config = new pulumi.Config();
const subnetId = config.require("subnetId");
const amiId = config.require("amiId");
const instanceType = config.get("instanceType") ?? "t3.medium";
const controlPlane = [
  { name: "cp-1", address: "10.0.1.11" },
  { name: "cp-2", address: "10.0.1.12" },
  { name: "cp-3", address: "10.0.1.13" },
];

const pki = new KubernetesPki("prod", {
  controlPlaneEndpoint: config.get("endpoint") ?? "api.prod.example.com:6443",
  controlPlane,
  encryptionAlgorithm: "ECDSA-P256",
  bundles: { maxBytes: SECRET_STORE_LIMITS.awsSecretsManager },
});

const region = aws.getRegionOutput().region;
const assumeRole = aws.iam.getPolicyDocumentOutput({
  statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
});

export const instances: Record<string, pulumi.Output<string>> = {};
for (const node of controlPlane) {
  // One secret per node: a node can read its own keys and nobody else's.
  const secret = new aws.secretsmanager.Secret(`pki-${node.name}`, { namePrefix: `kubernetes-pki/prod/${node.name}-` });
  new aws.secretsmanager.SecretVersion(`pki-${node.name}`, { secretId: secret.id, secretString: pki.nodeBundle(node.name) });

  const role = new aws.iam.Role(`pki-${node.name}`, { assumeRolePolicy: assumeRole.json });
  new aws.iam.RolePolicy(`pki-${node.name}`, {
    role: role.id,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [{ actions: ["secretsmanager:GetSecretValue"], resources: [secret.arn] }],
    }).json,
  });
  const profile = new aws.iam.InstanceProfile(`pki-${node.name}`, { role: role.name });

  // User-data carries no secret: only the command that fetches this node's bundle at boot.
  const userData = pulumi
    .all([secret.arn, region])
    .apply(([arn, r]) => bundleInstallScript(`${awsSecretsManagerFetchCommand(arn)} --region ${r}`));
  const instance = new aws.ec2.Instance(node.name, {
    ami: amiId,
    instanceType,
    subnetId,
    privateIp: node.address,
    iamInstanceProfile: profile.name,
    userData,
    userDataReplaceOnChange: true,
    metadataOptions: { httpTokens: "required" },
    tags: { Name: node.name },
  });
  instances[node.name] = instance.id;
}

/** Each node's bundle size, against Secrets Manager's 64 KiB. */
export const bundleSizes = pki.bundleSizes;
/** The operator's kubeconfig (secret). */
export const adminKubeconfig = pki.kubeconfigs.admin;
