// Starts local/stack.mjs as a child process, as the .NET tooling does, and hands back
// its ready line. Tests talk to it over real HTTP.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const STACK_SCRIPT = fileURLToPath(new URL('../stack.mjs', import.meta.url));

/** Spawns the stack and resolves with { ready, child, stop() } once it printed its ready line. */
export async function startStackProcess(args = ['--port', '0', '--dynamo-port', '0']) {
  const child = spawn(process.execPath, [STACK_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`stack exited with ${code} before it was ready: ${stderr}`);
    }),
  ]);
  const ready = JSON.parse(first);
  if (ready.ready !== true) throw new Error(`stack not ready: ${first} ${stderr}`);
  return {
    ready,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}
