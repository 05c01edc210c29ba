// The loopback IMAP + SMTP server (frontend/e2e/mailserver) for tests that
// send or receive the practice's email.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { neverLogged, root } from './harness.mjs';

/** Builds and starts the mail server; resolves to its ports, login, sent(), deliver() and stop(). */
export async function startMailServer() {
  const bin = join(mkdtempSync(join(tmpdir(), 'pp-mailserver-')), 'mailserver');
  execFileSync('go', ['build', '-tags', 'e2e', '-o', bin, './frontend/e2e/mailserver'], { cwd: root, stdio: 'inherit' });
  const proc = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout });
    rl.once('line', resolve);
    proc.once('exit', (c) => reject(new Error(`mail server exited (${c})`)));
  });
  const info = JSON.parse(line);
  neverLogged(info.password);
  const control = `http://127.0.0.1:${info.control}`;
  return {
    ...info,
    /** The raw messages the app handed to the SMTP server. */
    async sent() {
      return (await fetch(`${control}/sent`)).json();
    },
    /** Puts a raw message in the practice's inbox, as a patient's reply. */
    async deliver(raw) {
      const r = await fetch(`${control}/deliver`, { method: 'POST', body: raw });
      assert.equal(r.status, 204, await r.text());
    },
    stop() {
      proc.stdin.end();
      proc.kill();
    },
  };
}
