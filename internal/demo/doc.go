// Package demo generates the demo content Luneo seeds on a first run: a
// product model made by our own code, so no third-party model or licence
// is involved, with the facts the seeder needs to put a print zone on it.
//
// Mug builds an 11 oz mug (82 mm across, 95 mm tall) as a GLB: the outside
// (material "Body"), the inside and rim ("Inside") and the handle
// ("Handle"), each a closed, smooth-shaded surface. Body's outside wall is
// a straight cylinder unrolled onto a rectangle of UV space, u around from
// the seam behind the handle and v down from the top, at one circumference
// per UV unit on both axes, so a square of the design prints square.
// MugZone says where the print area lies in that space and its size in
// millimetres.
//
// Body carries a white 2048² PNG as base colour texture rather than none:
// the design texture then has a fixed size (about 8 px per mm of wall),
// the design GLB only swaps an image (the model's geometry, materials and
// sampler stay as they are), and the sampler repeats along u so filtering
// runs across the seam. The PNG costs 17 KB in the file.
//
// The generator only builds a gltf.Document and writes it with the gltf
// package: it imports nothing else of Luneo, so the model is exactly what a
// brand could have uploaded, and goes through the same validation,
// optimisation and AR conversion. It is deterministic: the same options
// give the same bytes with the same Go toolchain, so a seeded model keeps
// its content hash across restarts.
package demo
