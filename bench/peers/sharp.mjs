// sharp peer: thumbnails a batch of files in this one process and prints its timings as JSON.
//   node bench/peers/sharp.mjs --out DIR --box 512 --quality 80 --rounds 3 FILE...
// Same contract as the other in-process peers (see bench/README.md, "Peer protocol").
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { parseArgs } from 'node:util';

const { values, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, box: { type: 'string', default: '512' }, quality: { type: 'string', default: '80' }, rounds: { type: 'string', default: '1' } },
});
const box = Number(values.box), quality = Number(values.quality), rounds = Number(values.rounds);

// One libvips worker, and no operation cache: the timed rounds must not reuse the warm-up's work.
sharp.concurrency(1);
sharp.cache(false);

// Wall and CPU time of one pass; CPU time covers every thread of this process (libuv workers included).
async function pass() {
  const started = process.hrtime.bigint(), cpu = process.cpuUsage();
  for (const file of files) {
    const out = join(values.out, basename(file, extname(file)) + '.jpg');
    // rotate() with no angle applies EXIF orientation, as the engine does.
    await sharp(file).rotate().resize(box, box, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality }).toFile(out);
  }
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - started) / 1e6, cpu: (used.user + used.system) / 1000 };
}

const warmup = await pass();
const timed = [];
for (let r = 0; r < rounds; r++) timed.push(await pass());
console.log(JSON.stringify({ warmup_ms: warmup.wall, rounds_ms: timed.map((t) => t.wall), rounds_cpu_ms: timed.map((t) => t.cpu) }));
