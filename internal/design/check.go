package design

import "context"

// Check validates a draft exactly as a save would (parse, rules, assets,
// fonts) and returns its document and warnings, storing nothing: the
// widget's live preview and price quote use it on every edit.
func (s *Service) Check(ctx context.Context, a Actor, in Draft) (Document, []Warning, error) {
	doc, _, _, warnings, err := s.prepare(ctx, a, in)
	return doc, warnings, err
}
