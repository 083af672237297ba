// check.mjs reads USDZ files with two independent USD readers and prints
// what each one found, as one JSON array. Luneo's Go tests (package usdz)
// use it as an oracle: it is a test tool, never part of the product.
//
//   - tinyusdz (npm tinyusdz, a C++ USD reader compiled to WebAssembly):
//     its "render scene" is what a viewer would draw.
//   - three.js USDLoader (npm three, examples/jsm/loaders/USDLoader.js, a
//     JavaScript USDA/USDC parser and composer).
//
// Usage: node check.mjs FILE...
// Output: [{"file", "tinyusdz": Result, "three": Result}] where Result is
// {"ok", "error", "meshes", "materials", "textures", "missingTextures",
//  "triangles", "meshesWithUV", "materialKinds", "bounds", "boundTextures"};
// "boundTextures" maps what a texture is bound to — for tinyusdz a mesh's
// prim path, for three a material's prim path — to {input: image file}
// (tinyusdz's input names: diffuseColor, opacity…; three's material maps:
// map, alphaMap…); "materials"
// counts distinct materials bound to meshes, "textures" distinct image
// files the materials use, "missingTextures" those the reader could not
// find in the package, "bounds" the world-space box of every mesh point
// ({min: [x, y, z], max: [x, y, z]}, null without points). three's result
// also has "facing": how many triangles have a counter-clockwise winding
// (in world space) that agrees with their vertex normals — what a renderer
// that culls by winding alone shows as front faces.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs FILE...');
  process.exit(2);
}

// The tinyusdz package is a browser build: in Node it must believe it is
// in a renderer process, and it is handed its .wasm bytes directly (it
// cannot fetch file:// URLs).
process.type = 'renderer';
globalThis.window = globalThis;
const require = createRequire(import.meta.url);
const tinyDir = dirname(require.resolve('tinyusdz/package.json'));
const { default: initTinyUSDZ } = await import(join(tinyDir, 'tinyusdz.js'));
const tiny = await initTinyUSDZ({ wasmBinary: readFileSync(join(tinyDir, 'tinyusdz.wasm')), print: () => {}, printErr: () => {} });

// three's USDLoader decodes textures through the DOM's Image: a stand-in
// records the request and reports success without decoding pixels.
globalThis.Image = class {
  set src(v) { this._src = v; if (this.onload) this.onload(); }
  get src() { return this._src; }
};
const { Box3, Matrix3, Vector3 } = await import('three');
const { USDLoader } = await import('three/examples/jsm/loaders/USDLoader.js');
const { USDComposer } = await import('three/examples/jsm/loaders/usd/USDComposer.js');

function newResult() {
  return { ok: false, error: '', meshes: 0, materials: 0, textures: 0, missingTextures: [], triangles: 0, meshesWithUV: 0, materialKinds: [], bounds: null, facing: 0, boundTextures: {} };
}

// grow extends the box b (or null) by the point (x, y, z).
function grow(b, x, y, z) {
  if (!b) return { min: [x, y, z], max: [x, y, z] };
  const p = [x, y, z];
  for (let k = 0; k < 3; k++) {
    b.min[k] = Math.min(b.min[k], p[k]);
    b.max[k] = Math.max(b.max[k], p[k]);
  }
  return b;
}

// tinyBounds walks tinyusdz's node tree. Its localMatrix is USD's matrix
// as stored: row-major for row vectors (p' = p·M, translation in 12..14),
// so a child's matrix applies before its parent's.
function tinyBounds(usd, node, parents, box) {
  const chain = [node.localMatrix, ...parents];
  if (node.nodeType === 'mesh') {
    const pts = usd.getMesh(node.contentId).points;
    for (let i = 0; i + 2 < pts.length; i += 3) {
      let x = pts[i], y = pts[i + 1], z = pts[i + 2];
      for (const m of chain) {
        [x, y, z] = [x * m[0] + y * m[4] + z * m[8] + m[12], x * m[1] + y * m[5] + z * m[9] + m[13], x * m[2] + y * m[6] + z * m[10] + m[14]];
      }
      box = grow(box, x, y, z);
    }
  }
  for (const c of node.children || []) box = tinyBounds(usd, c, chain, box);
  return box;
}

function readTinyUSDZ(bytes, file) {
  const r = newResult();
  const usd = new tiny.TinyUSDZLoaderNative();
  if (!usd.loadFromBinary(bytes, file)) {
    r.error = String(usd.error() || 'loadFromBinary failed');
    return r;
  }
  r.ok = true;
  r.meshes = usd.numMeshes();
  const usedMaterials = new Set();
  for (let i = 0; i < r.meshes; i++) {
    const m = usd.getMesh(i);
    if (m.materialId !== undefined && m.materialId >= 0) usedMaterials.add(m.materialId);
    if (m.texcoords && m.texcoords.length > 0) r.meshesWithUV++;
    if (m.materialId !== undefined && m.materialId >= 0) {
      const mat = usd.getMaterial(m.materialId);
      const bound = {};
      for (const k of Object.keys(mat).filter((k) => k.endsWith('TextureId')).sort()) {
        const img = usd.getImage(usd.getTexture(mat[k]).textureImageId);
        bound[k.slice(0, -'TextureId'.length)] = img.uri || '';
      }
      r.boundTextures[m.absPath] = bound;
    }
    r.triangles += m.faceVertexCounts ? m.faceVertexCounts.length : 0;
  }
  r.materials = usedMaterials.size;
  const images = new Set();
  for (const id of [...usedMaterials].sort((a, b) => a - b)) {
    const mat = usd.getMaterial(id);
    const kinds = Object.keys(mat).filter((k) => k.endsWith('TextureId')).map((k) => k.slice(0, -'TextureId'.length)).sort();
    r.materialKinds.push(kinds.join(','));
    for (const k of Object.keys(mat)) {
      if (!k.endsWith('TextureId')) continue;
      const tex = usd.getTexture(mat[k]);
      const img = usd.getImage(tex.textureImageId);
      const key = img.uri || String(tex.textureImageId);
      if (images.has(key)) continue;
      images.add(key);
      if (!img.data || img.data.length === 0) r.missingTextures.push(key);
    }
  }
  r.textures = images.size;
  r.bounds = tinyBounds(usd, usd.getDefaultRootNode(), [], null);
  return r;
}

function readThree(bytes) {
  const r = newResult();
  const materialPaths = new Set();
  const textures = new Set();
  const fileOf = new WeakMap();
  const applyMaterial = USDComposer.prototype._applyMaterial;
  const loadTexture = USDComposer.prototype._loadTexture;
  USDComposer.prototype._applyMaterial = function (material, path) {
    materialPaths.add(path);
    const res = applyMaterial.call(this, material, path);
    const bound = {};
    for (const k of ['map', 'normalMap', 'roughnessMap', 'metalnessMap', 'aoMap', 'emissiveMap', 'alphaMap']) {
      if (material[k]) bound[k] = fileOf.get(material[k]) || '';
    }
    r.boundTextures[path] = bound;
    return res;
  };
  USDComposer.prototype._loadTexture = function (path, ...rest) {
    const clean = String(path).replace(/^@|@$/g, '');
    const t = loadTexture.call(this, path, ...rest);
    textures.add(clean);
    if (!t) r.missingTextures.push(clean);
    else fileOf.set(t, clean);
    return t;
  };
  try {
    const warn = console.warn;
    console.warn = () => {};
    let group;
    try {
      group = new USDLoader().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } finally {
      console.warn = warn;
    }
    const kinds = new Set();
    group.updateMatrixWorld(true);
    group.traverse((o) => {
      if (!o.isMesh) return;
      r.meshes++;
      const g = o.geometry;
      r.facing += countFacing(g, o.matrixWorld);
      r.triangles += (g.index ? g.index.count : g.attributes.position.count) / 3;
      if (g.attributes.uv) r.meshesWithUV++;
      for (const m of Array.isArray(o.material) ? o.material : [o.material]) {
        const k = ['map', 'normalMap', 'roughnessMap', 'metalnessMap', 'aoMap', 'emissiveMap', 'alphaMap'].filter((p) => m[p]);
        if (m.transparent) k.push('transparent');
        if (m.alphaTest > 0) k.push('alphaTest=' + m.alphaTest);
        kinds.add(k.join(','));
      }
    });
    r.ok = true;
    r.materials = materialPaths.size;
    r.textures = textures.size;
    r.materialKinds = [...kinds].sort();
    const box = new Box3().setFromObject(group, true);
    if (!box.isEmpty()) r.bounds = { min: box.min.toArray(), max: box.max.toArray() };
  } catch (e) {
    r.error = String(e && e.stack ? e.stack : e);
  } finally {
    USDComposer.prototype._applyMaterial = applyMaterial;
    USDComposer.prototype._loadTexture = loadTexture;
  }
  return r;
}

// countFacing counts the triangles of g whose world-space winding normal
// points the same way as the sum of their world-space vertex normals.
function countFacing(g, world) {
  const pos = g.attributes.position, nrm = g.attributes.normal;
  if (!pos || !nrm) return 0;
  const normalMatrix = new Matrix3().getNormalMatrix(world);
  const n = g.index ? g.index.count : pos.count;
  const at = (i) => (g.index ? g.index.getX(i) : i);
  const p = [new Vector3(), new Vector3(), new Vector3()];
  const sum = new Vector3(), v = new Vector3(), e1 = new Vector3(), e2 = new Vector3();
  let agree = 0;
  for (let t = 0; t + 2 < n; t += 3) {
    sum.set(0, 0, 0);
    for (let k = 0; k < 3; k++) {
      const i = at(t + k);
      p[k].fromBufferAttribute(pos, i).applyMatrix4(world);
      sum.add(v.fromBufferAttribute(nrm, i).applyMatrix3(normalMatrix));
    }
    e1.subVectors(p[1], p[0]);
    e2.subVectors(p[2], p[0]);
    if (e1.cross(e2).dot(sum) > 0) agree++;
  }
  return agree;
}

const out = [];
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  out.push({ file, tinyusdz: readTinyUSDZ(bytes, file), three: readThree(bytes) });
}
process.stdout.write(JSON.stringify(out) + '\n');
