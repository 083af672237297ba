package order

import "context"

// ProduceAttempt runs attempt of maxAttempts of an order's production job,
// as River would, for tests of the last attempt.
func (s *Service) ProduceAttempt(ctx context.Context, brandID, orderID string, attempt, maxAttempts int) error {
	return s.produceAttempt(ctx, ProduceArgs{OrderID: orderID, BrandID: brandID}, attempt, maxAttempts)
}
