import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";

/** The seven binaries `binaries.sh` provides. */
export const BINARIES = ["etcd", "etcdctl", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kubeadm"] as const;

const SCRIPT = join(__dirname, "..", "build", "binaries.sh");

/**
 * Runs `test/e2e/build/binaries.sh` (which honours `KUBE_BIN_DIR` and builds into its cache only
 * when needed), streams its progress to stderr and returns the directory it prints last.
 */
export function provideBinaries(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [SCRIPT], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        // already gone
      }
      reject(new Error(`${SCRIPT} did not finish in ${timeoutMs / 60_000} min`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => process.stderr.write(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const dir = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || dir === "") {
        reject(new Error(`${SCRIPT} exited with ${code}`));
        return;
      }
      try {
        for (const name of BINARIES) accessSync(join(dir, name), constants.X_OK);
      } catch (error) {
        reject(new Error(`${SCRIPT} printed ${dir}, which lacks a binary: ${String(error)}`));
        return;
      }
      resolve(dir);
    });
  });
}
