// The 3D viewer island: defines <model-viewer> (Google's web component) for
// pages that show a product or design in 3D. Pages load it with
//
//   <script type="module" src="{{asset "dist/viewer.js"}}"></script>
//
// (the "model-viewer" template partial does) and need nothing else: the
// element upgrades itself wherever it is in the page.

// First: point model-viewer at our own decoders, before it is defined.
import './lib/decoders.js';
import '@google/model-viewer';
