package brand_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/brand"
)

// policyRow is one permission with, written out by hand, which roles hold it
// and whether an API key may be granted it as a scope.
type policyRow struct {
	owner, admin, editor, viewer bool
	scope                        bool
	action                       brand.Action
}

// Y and N keep the table readable.
const Y, N = true, false

// wantPolicy is the intended policy, cell by cell, from the README and the
// product rules, not derived from policy.go: the audit log is read by owners
// only ("Security events are kept in an audit log that owners read");
// editors work on products and read everything else but manage neither the
// team, nor API keys, nor the brand's settings; viewers only read; API keys
// act for programs and can never manage people or keys, nor read the audit
// log. Changing the policy means changing a cell here on purpose.
var wantPolicy = []policyRow{
	// owner, admin, editor, viewer, API key scope; permission
	{Y, Y, Y, Y, Y, brand.BrandRead},
	{Y, Y, N, N, N, brand.BrandWrite},
	{Y, Y, Y, Y, N, brand.TeamRead},
	{Y, Y, N, N, N, brand.TeamManage},
	{Y, Y, N, N, N, brand.APIKeysManage},
	{Y, N, N, N, N, brand.AuditRead},
	{Y, Y, Y, Y, Y, brand.ProductsRead},
	{Y, Y, Y, N, Y, brand.ProductsWrite},
	{Y, Y, Y, Y, Y, brand.OrdersRead},
	{Y, Y, N, N, Y, brand.OrdersWrite},
	// Webhook endpoints are integrations, like API keys: owners and admins,
	// and no API key (a leaked key must not point the brand's events at
	// another server).
	{Y, Y, N, N, N, brand.WebhooksManage},
	// Installing a store's app is a person's act: no API key.
	{Y, Y, N, N, N, brand.IntegrationsManage},
}

// TestPolicyTable checks brand.Can for every role and every permission
// against the hand-written table, and brand.Scopes against its scope column.
func TestPolicyTable(t *testing.T) {
	t.Parallel()
	for _, row := range wantPolicy {
		for role, want := range map[brand.Role]bool{brand.Owner: row.owner, brand.Admin: row.admin, brand.Editor: row.editor, brand.Viewer: row.viewer} {
			if got := brand.Can(role, row.action); got != want {
				t.Errorf("Can(%s, %s) = %v, want %v", role, row.action, got, want)
			}
		}
		if _, got := brand.ParseScope(string(row.action)); got != row.scope {
			t.Errorf("ParseScope(%s) ok = %v, want %v", row.action, got, row.scope)
		}
		if got := slices.Contains(brand.Scopes, row.action); got != row.scope {
			t.Errorf("Scopes contains %s = %v, want %v", row.action, got, row.scope)
		}
		// Roles that do not exist may do nothing at all.
		for _, role := range []brand.Role{"", "superuser", "Owner", "owner "} {
			if brand.Can(role, row.action) {
				t.Errorf("Can(%q, %s) = true for a role that does not exist", role, row.action)
			}
		}
	}
}

// TestPolicyTableIsComplete fails when a permission or a role is added to
// the code without a decision about it in wantPolicy: the constants are read
// from the package's source, so a new one cannot slip by unlisted.
func TestPolicyTableIsComplete(t *testing.T) {
	t.Parallel()
	actions, roles := constantsOfType(t, "Action"), constantsOfType(t, "Role")
	var listed []string
	for _, row := range wantPolicy {
		listed = append(listed, string(row.action))
	}
	slices.Sort(listed)
	if len(actions) == 0 || !slices.Equal(actions, listed) {
		t.Errorf("permissions in the code %v, in the table %v: give every permission a row", actions, listed)
	}
	if len(listed) != len(slices.Compact(slices.Clone(listed))) {
		t.Errorf("a permission has two rows: %v", listed)
	}
	wantRoles := []string{"admin", "editor", "owner", "viewer"} // the table's columns
	if !slices.Equal(roles, wantRoles) {
		t.Errorf("roles in the code %v, table columns %v: give every role a column", roles, wantRoles)
	}
	if got := brand.Roles; !slices.Equal(got, []brand.Role{brand.Owner, brand.Admin, brand.Editor, brand.Viewer}) {
		t.Errorf("Roles = %v, want owner, admin, editor, viewer (most powerful first)", got)
	}
	for _, r := range wantRoles {
		if _, ok := brand.ParseRole(r); !ok {
			t.Errorf("ParseRole(%q) refused", r)
		}
	}
	if _, ok := brand.ParseRole("superuser"); ok {
		t.Error("ParseRole accepted an unknown role")
	}
}

// constantsOfType returns the sorted values of the string constants declared
// with type typ in the package's non-test Go files.
func constantsOfType(t *testing.T, typ string) []string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: a %s constant that is not a string literal; teach this test to read it", fset.Position(v.Pos()), typ)
					}
					s, _ := strconv.Unquote(lit.Value)
					set[s] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}
