package obs

import "context"

// Check is one readiness probe: a named backend and how to ping it. The app
// builder lists one per backend; /readyz runs them.
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}
