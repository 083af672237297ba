// Converts a GLB to USDZ with three.js's USDZExporter in Node, the reference
// that bench/usdz.sh compares `luneo usdz` with. three.js is written for
// browsers: the few DOM pieces it touches are shimmed with @napi-rs/canvas.
// Usage: node bench/usdz-three.mjs IN.glb OUT.usdz
import { readFileSync, writeFileSync } from 'node:fs';
import { createCanvas, Image } from '@napi-rs/canvas';

const blobs = new Map();
let next = 0;
URL.createObjectURL = (blob) => { const u = `blob:nodeshim/${next++}`; blobs.set(u, blob); return u; };
URL.revokeObjectURL = (u) => { blobs.delete(u); };
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, opts) => {
	const b = blobs.get(String(url));
	return b ? new Response(b) : realFetch(url, opts);
};
globalThis.self = globalThis;
globalThis.window = globalThis;
globalThis.ImageBitmap = Image;
globalThis.createImageBitmap = async (blob) => {
	const img = new Image();
	img.src = Buffer.from(await blob.arrayBuffer());
	return img;
};
globalThis.document = {
	createElement(name) {
		if (name !== 'canvas') throw new Error(`no DOM element ${name} in Node`);
		const c = createCanvas(1, 1);
		c.toBlob = (cb, type) => cb(new Blob([c.toBuffer(type || 'image/png')]));
		return c;
	},
	createElementNS(_ns, name) { return this.createElement(name); },
};

const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
const { USDZExporter } = await import('three/examples/jsm/exporters/USDZExporter.js');

const [input, output] = process.argv.slice(2);
const data = readFileSync(input);
const gltf = await new GLTFLoader().parseAsync(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), '');
gltf.scene.updateMatrixWorld(true);
const usdz = await new USDZExporter().parseAsync(gltf.scene, { maxTextureSize: 2048 });
writeFileSync(output, usdz);
