// Package compose draws Luneo's 2D compositions: a pixel-space scene of
// image, text and fill layers (SCENE.md documents every field and unit)
// rendered to PNG (with pHYs and sRGB), lossy WebP, or a vector PDF whose
// text stays text in embedded subset fonts.
//
// It is a pure library: it imports nothing of the application. The caller
// resolves image references through Sources (files for the CLI, blobs in
// the app) and fonts through a fonts.Set (the bundled open fonts plus any
// it adds). Every input is treated as hostile: scene values are range
// checked, image dimensions are read from headers before decoding, and a
// render holds at most Options.MaxPixels at once (RenderBands and
// WritePNGBands draw larger zones band by band).
//
// Speed: Render prepares layers on two goroutines (the big image decodes
// while text is shaped and rasterized and other images are resampled),
// decodes 8-bit PNGs with the system libdeflate when present, and resamples
// in fixed point; Options.Scale renders straight at a smaller output size.
// bench/compose.sh measures it against sharp.
package compose
