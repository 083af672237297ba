package devtools

// ViewerTestPage lets the external tests render the viewer_test page with
// data of their own.
type ViewerTestPage = viewerTestPage
