// Where <model-viewer> loads its Draco, KTX2 (Basis Universal) and meshopt
// decoders from. Its defaults are Google and jsDelivr CDNs, which a
// privacy-minded brand (and this offline machine) cannot use: Luneo serves
// the decoder files itself, next to the bundles, under stable unhashed URLs
// (/static/dist/decoders/..., see internal/web/assets.go).
//
// model-viewer reads self.ModelViewerElement once, when the element class is
// defined, so this module must be evaluated before '@google/model-viewer':
// import it first (ES modules run in import order, and esbuild keeps it).
//
// The one CDN URL left in the bundle is lottieLoaderLocation's (jsDelivr),
// which model-viewer imports only for createLottieTexture(), an API Luneo
// does not call.

import type { ModelViewerGlobalConfig } from '@google/model-viewer/lib/features/loading.js';

declare global {
  var ModelViewerElement: ModelViewerGlobalConfig | undefined;
}

/** decoderBase is the decoders/ folder beside the bundle that imports this
 * module, so the URLs follow the bundle wherever it is mounted. */
const decoderBase = new URL('./decoders/', import.meta.url).href;

/** decoderLocations are the URLs model-viewer is configured with. */
export const decoderLocations = {
  // Folders: three's DRACOLoader and KTX2Loader append the file names
  // (draco_wasm_wrapper.js + draco_decoder.wasm, basis_transcoder.js + .wasm).
  dracoDecoderLocation: decoderBase + 'draco/',
  ktx2TranscoderLocation: decoderBase + 'basis/',
  // A classic script: model-viewer adds it with a <script> tag.
  meshoptDecoderLocation: decoderBase + 'meshopt_decoder.js',
} satisfies ModelViewerGlobalConfig;

self.ModelViewerElement = { ...self.ModelViewerElement, ...decoderLocations };
