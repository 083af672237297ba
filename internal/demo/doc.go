// Package demo generates the demo content Luneo seeds on a first run: a
// product model made by our own code, so no third-party model or licence
// is involved, with the facts the seeder needs to put a print zone on it.
//
// The generator only builds a gltf.Document and writes it with the gltf
// package: it imports nothing else of Luneo, so the model is exactly what a
// brand could have uploaded, and goes through the same validation,
// optimisation and AR conversion.
//
// Everything is deterministic: the same options give the same bytes, so a
// seeded model keeps its content hash (and the blobs derived from it)
// across restarts.
package demo
