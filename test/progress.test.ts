import * as assert from "node:assert/strict";
import { formatProgress, showProgress } from "../offline/progress";
import { LOCALLY_SIGNED_CERT, PRIVATE_KEY } from "../offline/tls/tokens";
import { RegistrationCounts } from "../offline/tlsEmulator";

/** A stream that records what is written to it. */
function recordingStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

const counts = (): RegistrationCounts => ({
  secretOutputs: 0,
  requested: new Map([[PRIVATE_KEY, 10], [LOCALLY_SIGNED_CERT, 4]]),
  answered: new Map([[PRIVATE_KEY, 4], [LOCALLY_SIGNED_CERT, 1]]),
});

const wait = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe("render progress", () => {
  it("says keys made of asked for, signatures, elapsed time and an estimate from the rate so far", () => {
    const line = formatProgress({ keysMade: 4, keysRequested: 10, signed: 1, signingRequested: 4, elapsedMs: 10_000 });
    assert.equal(line, "keys 4/10, certificates and requests 1/4, 10 s elapsed, about 15 s left");
  });

  it("draws on a terminal once the render has run a second, and clears its line when stopped", async () => {
    const { stream, written } = recordingStream(true);
    const stop = showProgress(counts(), stream);
    await wait(1_400);
    stop();
    assert.match(written.join(""), /keys 4\/10, certificates and requests 1\/4, 1 s elapsed/);
    assert.equal(written.at(-1), "\r\x1b[2K");
  });

  it("writes nothing when the stream is not a terminal", async () => {
    const { stream, written } = recordingStream(false);
    const stop = showProgress(counts(), stream);
    await wait(1_400);
    stop();
    assert.deepEqual(written, []);
  });
});
