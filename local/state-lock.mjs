// One stack per state directory: LevelDB allows a single opener, and a second stack on the
// same directory would otherwise die on its first DynamoDB request instead of at startup.

import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Takes <dir>/stack.pid for this process; throws if a live process holds it. Returns release(). */
export function lockStateDir(dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'stack.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(`state directory ${dir} is in use by the local stack with pid ${holder}`);
      }
      rmSync(file, { force: true }); // left behind by a stack that was killed
    }
  }
  throw new Error(`could not lock state directory ${dir}`);
}
