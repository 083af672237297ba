package brand

import "slices"

// Role is a member's role in a brand.
type Role string

// The roles, from most to least powerful.
const (
	Owner  Role = "owner"
	Admin  Role = "admin"
	Editor Role = "editor"
	Viewer Role = "viewer"
)

// Roles lists every role, most powerful first.
var Roles = []Role{Owner, Admin, Editor, Viewer}

// ParseRole returns the role named s, or false.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// Action is something a member (or an API key, as a scope) may be allowed to do.
type Action string

// Actions checked by routes. API key scopes use the same names.
const (
	BrandRead     Action = "brand:read"
	BrandWrite    Action = "brand:write"
	TeamRead      Action = "team:read"
	TeamManage    Action = "team:manage"
	APIKeysManage Action = "apikeys:manage"
	AuditRead     Action = "audit:read"
	ProductsRead  Action = "products:read"
	ProductsWrite Action = "products:write"
	OrdersRead    Action = "orders:read"
	OrdersWrite   Action = "orders:write"
	// WebhooksManage covers reading and changing the brand's webhook
	// endpoints and their delivery log: endpoint URLs often carry a token
	// and the log shows the brand's own servers' answers, so it stays with
	// the roles that manage the brand's integrations.
	WebhooksManage Action = "webhooks:manage"
	// IntegrationsManage is installing and disconnecting the brand's
	// stores (the Shopify app), and hearing of what they ask of the brand
	// (a customer's data request).
	IntegrationsManage Action = "integrations:manage"
)

// policy is the one table of who may do what. Owners may do everything;
// the rest is listed. Read it as: role → actions allowed.
var policy = map[Role][]Action{
	// The audit log (AuditRead) is for owners only: no other role lists it.
	Admin: {BrandRead, BrandWrite, TeamRead, TeamManage, APIKeysManage, ProductsRead, ProductsWrite, OrdersRead, OrdersWrite,
		WebhooksManage, IntegrationsManage},
	Editor: {BrandRead, TeamRead, ProductsRead, ProductsWrite, OrdersRead},
	Viewer: {BrandRead, TeamRead, ProductsRead, OrdersRead},
}

// Can reports whether role may perform action.
func Can(role Role, action Action) bool {
	if role == Owner {
		return true
	}
	return slices.Contains(policy[role], action)
}

// Scopes are the actions an API key may be granted: everything a program
// might do, never team or key management (a leaked key must not mint keys).
var Scopes = []Action{BrandRead, ProductsRead, ProductsWrite, OrdersRead, OrdersWrite}

// ParseScope returns the scope named s, or false.
func ParseScope(s string) (Action, bool) {
	a := Action(s)
	return a, slices.Contains(Scopes, a)
}
