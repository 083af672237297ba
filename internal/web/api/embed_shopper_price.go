package api

import (
	"context"

	"github.com/luneo/luneo/internal/design"
)

// quoteDocument prices a document (wired to the catalog's price rules at
// the merge with main).
func (s *API) quoteDocument(ctx context.Context, c shopperCall, doc design.Document) (any, error) {
	return nil, nil
}

// shopperAsset is an uploaded image as the customizer gets it.
type shopperAsset struct {
	SHA256   string `json:"sha256"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	MimeType string `json:"mime_type"`
	Size     int64  `json:"size"`
	URL      string `json:"url"`
}

func assetAnswer(a design.Asset) shopperAsset {
	return shopperAsset{SHA256: a.SHA256, Width: a.Width, Height: a.Height, MimeType: "image/" + a.Format, Size: a.Size, URL: a.URL}
}
