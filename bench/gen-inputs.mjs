// Makes one deterministic, photo-like test image and writes it in one or more encodings.
//
//   node bench/gen-inputs.mjs '{"width":6000,"height":4000,"seed":1,"outputs":[{"path":"a.jpg","format":"jpeg"}]}'
//
// formats: jpeg (baseline, q90, 4:2:0 like a camera), jpeg-progressive (same, progressive scans), png (8-bit RGB).
// The picture is a landscape: graded sky over a textured ground with a wavy horizon, hard-edged
// shapes, thin lines and sensor grain, so decoders, resamplers and encoders all do real work.
// Everything comes from a seeded PRNG and sharp's pinned libvips, so the same seed gives the same pixels.
import sharp from 'sharp';

const spec = JSON.parse(process.argv[2]);
const { width: W, height: H, seed } = spec;
sharp.cache(false);

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(seed * 7919 + 17);
const between = (lo, hi) => lo + (hi - lo) * rand();
const clamp = (v) => (v < 0 ? 0 : v > 255 ? 255 : v | 0);

// The horizon is a function of x in [0, 1] shared by the coarse and the fine pass.
const horizon = { base: between(0.38, 0.62), a1: between(0.02, 0.06), f1: between(1, 3), p1: between(0, 6.28), a2: between(0.005, 0.02), f2: between(6, 14), p2: between(0, 6.28) };
const horizonAt = (x) => horizon.base + horizon.a1 * Math.sin(horizon.f1 * 6.283 * x + horizon.p1) + horizon.a2 * Math.sin(horizon.f2 * 6.283 * x + horizon.p2);

// Value noise on a random lattice, smoothly interpolated; octaves summed with halving amplitude.
function fractalNoise(w, h, cells, octaves) {
  const out = new Float32Array(w * h);
  let amp = 1;
  for (let o = 0; o < octaves; o++, cells *= 2, amp /= 2) {
    const gw = cells + 2, gh = Math.ceil(cells * h / w) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = rand() * 2 - 1;
    const sx = (gw - 2) / w, sy = (gh - 2) / h;
    for (let y = 0; y < h; y++) {
      const gy = y * sy, y0 = gy | 0, ty = gy - y0, wy = ty * ty * (3 - 2 * ty);
      for (let x = 0; x < w; x++) {
        const gx = x * sx, x0 = gx | 0, tx = gx - x0, wx = tx * tx * (3 - 2 * tx);
        const i = y0 * gw + x0;
        const top = grid[i] + (grid[i + 1] - grid[i]) * wx;
        const bottom = grid[i + gw] + (grid[i + gw + 1] - grid[i + gw]) * wx;
        out[y * w + x] += amp * (top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

const colour = (rLo, rHi, gLo, gHi, bLo, bHi) => [between(rLo, rHi), between(gLo, gHi), between(bLo, bHi)];

// Coarse pass at 1/8 scale: gradients, clouds, terrain colour. Upsampled later, so it carries only low frequencies.
async function coarseLayer() {
  const bw = Math.ceil(W / 8), bh = Math.ceil(H / 8);
  const skyTop = colour(20, 90, 60, 130, 140, 230), skyLow = colour(150, 230, 170, 230, 190, 250);
  const groundNear = colour(40, 110, 50, 120, 10, 60), groundFar = colour(90, 170, 100, 160, 60, 120);
  const clouds = fractalNoise(bw, bh, 4, 5), terrain = fractalNoise(bw, bh, 6, 6), tint = fractalNoise(bw, bh, 3, 3);
  const px = Buffer.alloc(bw * bh * 3);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x, fy = y / bh, hz = horizonAt(x / bw);
      let c;
      if (fy < hz) {
        const t = fy / hz, cloud = Math.max(0, clouds[i]) * 160;
        c = skyTop.map((top, k) => top + (skyLow[k] - top) * t + cloud);
      } else {
        const t = (fy - hz) / (1 - hz), shade = 1 + 0.45 * terrain[i];
        c = groundFar.map((far, k) => (far + (groundNear[k] - far) * t) * shade + 30 * tint[i] * (k - 1));
      }
      px[i * 3] = clamp(c[0]); px[i * 3 + 1] = clamp(c[1]); px[i * 3 + 2] = clamp(c[2]);
    }
  }
  return sharp(px, { raw: { width: bw, height: bh, channels: 3 } })
    .resize(W, H, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
}

// Mid-frequency texture (foliage, gravel): a random lattice at 1/3 scale, upsampled smoothly.
async function textureLayer() {
  const tw = Math.ceil(W / 3), th = Math.ceil(H / 3);
  const grid = Buffer.alloc(tw * th);
  for (let i = 0; i < grid.length; i++) grid[i] = (rand() * 256) | 0;
  return sharp(grid, { raw: { width: tw, height: th, channels: 1 } })
    .resize(W, H, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer();
}

// Hard-edged objects in the ground: shaded ellipses ("rocks", "bushes") and thin dark lines ("branches").
function drawObjects(px) {
  const rocks = 6 + ((rand() * 6) | 0);
  for (let n = 0; n < rocks; n++) {
    const cx = between(0, W), rx = between(W * 0.02, W * 0.12), ry = rx * between(0.3, 0.8);
    const cy = between(horizonAt(cx / W) * H + ry * 0.5, H);
    const base = colour(30, 200, 30, 190, 20, 170), light = between(0.3, 0.7);
    const y0 = Math.max(0, (cy - ry) | 0), y1 = Math.min(H - 1, (cy + ry) | 0);
    const x0 = Math.max(0, (cx - rx) | 0), x1 = Math.min(W - 1, (cx + rx) | 0);
    for (let y = y0; y <= y1; y++) {
      const dy = (y - cy) / ry;
      for (let x = x0; x <= x1; x++) {
        const dx = (x - cx) / rx, d = dx * dx + dy * dy;
        if (d > 1) continue;
        const shade = 1 - light * (dx + dy + 1.4) / 2.8 - 0.25 * d;
        const i = (y * W + x) * 3;
        px[i] = clamp(base[0] * shade); px[i + 1] = clamp(base[1] * shade); px[i + 2] = clamp(base[2] * shade);
      }
    }
  }
  const lines = 10 + ((rand() * 10) | 0);
  for (let n = 0; n < lines; n++) {
    let x = between(0, W), y = between(H * 0.3, H);
    const angle = between(0, Math.PI * 2), len = between(W * 0.03, W * 0.2), thick = between(1, 4);
    const ink = colour(10, 60, 10, 50, 5, 40);
    for (let s = 0; s < len; s++, x += Math.cos(angle), y += Math.sin(angle)) {
      for (let t = -thick / 2; t <= thick / 2; t++) {
        const xx = Math.round(x - Math.sin(angle) * t), yy = Math.round(y + Math.cos(angle) * t);
        if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
        const i = (yy * W + xx) * 3;
        px[i] = ink[0]; px[i + 1] = ink[1]; px[i + 2] = ink[2];
      }
    }
  }
}

const coarse = await coarseLayer();
const texture = await textureLayer();
const px = Buffer.alloc(W * H * 3);
for (let y = 0; y < H; y++) {
  for (let x = 0; x < W; x++) {
    const p = y * W + x, i = p * 3;
    // Texture is strong on the ground and faint in the sky; grain is everywhere, mostly in luma.
    const ground = y / H >= horizonAt(x / W);
    const tex = (texture[p] - 128) * (ground ? 0.22 : 0.02);
    const grain = (rand() + rand() - 1) * 7;
    px[i] = clamp(coarse[i] + tex + grain + (rand() - 0.5) * 3);
    px[i + 1] = clamp(coarse[i + 1] + tex + grain + (rand() - 0.5) * 3);
    px[i + 2] = clamp(coarse[i + 2] + tex + grain + (rand() - 0.5) * 3);
  }
}
drawObjects(px);

const image = () => sharp(px, { raw: { width: W, height: H, channels: 3 } });
for (const { path, format } of spec.outputs) {
  if (format === 'jpeg') await image().jpeg({ quality: 90, chromaSubsampling: '4:2:0' }).toFile(path);
  else if (format === 'jpeg-progressive') await image().jpeg({ quality: 90, chromaSubsampling: '4:2:0', progressive: true }).toFile(path);
  else if (format === 'png') await image().png({ compressionLevel: 6 }).toFile(path);
  else throw new Error(`unknown format ${format}`);
}
