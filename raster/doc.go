// Package raster draws a glTF document to an image in pure Go: a
// perspective camera framed on the scene's bounding sphere, a depth-tested
// rasterizer with coverage anti-aliasing, and metallic-roughness shading
// under one sun and a uniform grey environment, chosen to resemble the
// Blender Cycles reference render Luneo is compared with.
//
// The usual flow is
//
//	m, err := raster.Load(doc, raster.LoadOptions{})      // once per product
//	img, err := m.Render(ctx, raster.Options{Size: 1024}) // many times, concurrently
//
// Load does everything that does not depend on the camera or on a design:
// world-space geometry and decoded textures with their mipmaps. Render only
// projects, rasterizes and shades, so one Model serves many previews.
//
// What is drawn: triangles, strips and fans (points and lines are skipped),
// OPAQUE, MASK and BLEND alpha modes (blended triangles sorted back to
// front), single- and double-sided materials, vertex colours, base colour,
// metallic-roughness, normal, occlusion and emissive textures with
// KHR_texture_transform, KHR_materials_emissive_strength,
// KHR_materials_unlit and quantized attributes. Morph targets, skins and
// animations are ignored: the default pose is drawn, as the reference does.
// There are no cast shadows and no ambient occlusion beyond the occlusion
// texture.
package raster
