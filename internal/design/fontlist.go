package design

import "context"

// BrandFonts lists a brand's font files (their metadata, not their bytes),
// in the order OpenFont searches them, for workers that act for no one: it
// checks no actor. The render pipeline's live previews key the font sets
// they keep by these files' SHA-256, so a re-uploaded family is seen at once.
func (s *Service) BrandFonts(ctx context.Context, brandID string) ([]Font, error) {
	return brandFonts(ctx, s.db, brandID)
}
