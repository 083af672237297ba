package dashboard

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The brand's people and programs: team members and invitations, accepting
// an invitation, API keys and the audit log. Every query is scoped to the
// session's brand, as in the JSON API.

// teamPage is the data of the team page.
type teamPage struct {
	chrome
	Form form.Form
	Team teamView
}

// teamView is the team page's own section.
type teamView struct {
	Members     []memberRow
	Invitations []brand.Invitation
	// Roles are the roles the user may give (only owners make owners).
	Roles []brand.Role
}

// memberRow is a member with what the user may do to them.
type memberRow struct {
	brand.Member
	Self     bool
	Editable bool
}

func (s *Dashboard) teamPage(w http.ResponseWriter, r *http.Request, me Me) error {
	return s.showTeam(w, r, http.StatusOK, &teamPage{chrome: chrome{Me: me}})
}

func (s *Dashboard) showTeam(w http.ResponseWriter, r *http.Request, status int, v *teamPage) error {
	me := v.Me
	if err := me.p.Require(brand.TeamRead); err != nil {
		return err
	}
	members, err := s.Brands.Members(r.Context(), me.p.BrandID)
	if err != nil {
		return err
	}
	manage := me.p.Can(brand.TeamManage)
	for _, m := range members {
		self := m.UserID == me.p.UserID
		// Admins manage everyone but owners; the store enforces the same.
		v.Team.Members = append(v.Team.Members, memberRow{Member: m, Self: self,
			Editable: manage && !self && (m.Role != brand.Owner || me.Owner())})
	}
	if manage {
		if v.Team.Invitations, err = s.Brands.Invitations(r.Context(), me.p.BrandID); err != nil {
			return err
		}
		for _, role := range brand.Roles {
			if role != brand.Owner || me.Owner() {
				v.Team.Roles = append(v.Team.Roles, role)
			}
		}
	}
	v.Nav = "team"
	s.renderPage(w, r, status, "team", "Team", v)
	return nil
}

// teamResult answers a team form: back to the page with a flash, or the
// page again with the error when the user can fix it.
func (s *Dashboard) teamResult(w http.ResponseWriter, r *http.Request, me Me, err error, formName string, values map[string]string, ok string) error {
	if err != nil {
		f, status, fixable := form.Failure(w, err, formName, values)
		if !fixable {
			return err
		}
		return s.showTeam(w, r, status, &teamPage{chrome: chrome{Me: me}, Form: f})
	}
	s.flash.Redirect(w, r, "/app/team", ok)
	return nil
}

func (s *Dashboard) inviteSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	email, role := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("role")
	_, err := s.Auth.Invite(r.Context(), me.p, email, role)
	return s.teamResult(w, r, me, err, "invite", map[string]string{"email": email, "role": role},
		fmt.Sprintf("We sent an invitation to %s.", email))
}

func (s *Dashboard) roleSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	role := r.PostFormValue("role")
	err := s.Auth.ChangeRole(r.Context(), me.p, r.PathValue("userID"), role)
	return s.teamResult(w, r, me, err, "members", nil, fmt.Sprintf("The role is now %s.", role))
}

func (s *Dashboard) removeSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("userID")
	err := s.Auth.RemoveMember(r.Context(), me.p, id)
	if err == nil && id == me.p.UserID {
		s.flash.Redirect(w, r, "/app", fmt.Sprintf("You left %s.", me.Brand.Name))
		return nil
	}
	return s.teamResult(w, r, me, err, "members", nil, "The member has been removed.")
}

func (s *Dashboard) revokeInvitationSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.TeamManage); err != nil {
		return err
	}
	err := s.Brands.RevokeInvitation(r.Context(), me.p.BrandID, r.PathValue("id"))
	return s.teamResult(w, r, me, err, "invitations", nil, "The invitation has been withdrawn.")
}

// invitationPage is the data of the page that accepts an invitation;
// Token is the emailed link's, sent back in a hidden field.
type invitationPage struct {
	chrome
	Form  form.Form
	Token string
}

// invitationPage shows the Accept button: opening the emailed link must not
// accept by itself (mail scanners open links too).
func (s *Dashboard) invitationPage(w http.ResponseWriter, r *http.Request, me Me) error {
	s.renderPage(w, r, http.StatusOK, "invitation", "Join a brand", &invitationPage{chrome: chrome{Me: me}, Token: r.URL.Query().Get("token")})
	return nil
}

func (s *Dashboard) invitationSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	token := r.PostFormValue("token")
	inv, err := s.Auth.AcceptInvitation(r.Context(), me.p.UserID, token)
	if err != nil {
		// Unknown or someone else's invitation: say so on the page, where
		// the user can log in with the invited address instead.
		f, status, ok := form.Failure(w, err, "invitation", nil, apperr.NotFound, apperr.Forbidden)
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "invitation", "Join a brand", &invitationPage{chrome: chrome{Me: me}, Form: f, Token: token})
		return nil
	}
	// Open the dashboard on the brand just joined.
	if t, err := s.Auth.SwitchBrand(r.Context(), me.p.UserID, me.p.SessionID, inv.BrandID); err == nil {
		s.Kit.SetSessionCookies(w, t)
	}
	msg := fmt.Sprintf("Welcome to the team: you joined as %s.", inv.Role)
	if b, err := s.Brands.ByID(r.Context(), inv.BrandID); err == nil {
		msg = fmt.Sprintf("Welcome to %s: you joined as %s.", b.Name, inv.Role)
	}
	s.flash.Redirect(w, r, "/app", msg)
	return nil
}

// apiKeysPage is the data of the API keys page.
type apiKeysPage struct {
	chrome
	Form form.Form
	Keys keysView
}

// keysView is the API keys page's own section.
type keysView struct {
	Keys    []auth.APIKey
	Scopes  []brand.Action
	Checked map[brand.Action]bool
	// Created and Secret describe the key just made; the secret is shown
	// in this one answer and never again.
	Created *auth.APIKey
	Secret  string
}

func (s *Dashboard) apiKeysPage(w http.ResponseWriter, r *http.Request, me Me) error {
	return s.showKeys(w, r, http.StatusOK, &apiKeysPage{chrome: chrome{Me: me}})
}

func (s *Dashboard) showKeys(w http.ResponseWriter, r *http.Request, status int, v *apiKeysPage) error {
	if err := v.Me.p.Require(brand.APIKeysManage); err != nil {
		return err
	}
	var err error
	if v.Keys.Keys, err = s.Auth.APIKeys(r.Context(), v.Me.p); err != nil {
		return err
	}
	v.Keys.Scopes, v.Nav = brand.Scopes, "api-keys"
	s.renderPage(w, r, status, "api_keys", "API keys", v)
	return nil
}

func (s *Dashboard) apiKeySubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, err, "the form could not be read")
	}
	name, scopes := r.PostFormValue("name"), r.PostForm["scopes"]
	k, secret, err := s.Auth.CreateAPIKey(r.Context(), me.p, name, scopes)
	if err != nil {
		f, status, ok := form.Failure(w, err, "apikey", map[string]string{"name": name})
		if !ok {
			return err
		}
		v := &apiKeysPage{chrome: chrome{Me: me}, Form: f}
		v.Keys.Checked = map[brand.Action]bool{}
		for _, sc := range scopes {
			v.Keys.Checked[brand.Action(sc)] = true
		}
		return s.showKeys(w, r, status, v)
	}
	v := &apiKeysPage{chrome: chrome{Me: me}}
	v.Keys.Created, v.Keys.Secret = &k, secret
	return s.showKeys(w, r, http.StatusOK, v)
}

func (s *Dashboard) revokeAPIKeySubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := s.Auth.RevokeAPIKey(r.Context(), me.p, r.PathValue("id")); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/api-keys", "The API key has been revoked: programs using it are now refused.")
	return nil
}

// auditPageSize is how many events one page of the audit log shows.
const auditPageSize = 50

// auditPage is the data of the audit log page.
type auditPage struct {
	chrome
	Audit auditView
}

// auditView is the audit page's own section.
type auditView struct {
	Entries []auditRow
	// Older is the "before" of the next page; empty on the last one.
	Older string
}

// auditRow is an event with its actor and details made readable.
type auditRow struct {
	audit.Entry
	Who     string
	Details string
}

func (s *Dashboard) auditPage(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.AuditRead); err != nil {
		return err
	}
	before, err := httpx.QueryTime(r, "before")
	if err != nil {
		return err
	}
	entries, err := s.Audit.ForBrand(r.Context(), me.p.BrandID, auditPageSize, before)
	if err != nil {
		return err
	}
	members, err := s.Brands.Members(r.Context(), me.p.BrandID)
	if err != nil {
		return err
	}
	who := map[string]string{}
	for _, m := range members {
		who[m.UserID] = m.Email
	}
	v := &auditPage{chrome: chrome{Me: me, Nav: "audit"}}
	for _, e := range entries {
		row := auditRow{Entry: e, Who: who[e.UserID], Details: describe(e.Detail)}
		if row.Who == "" && e.UserID != "" {
			row.Who = "former member"
		}
		v.Audit.Entries = append(v.Audit.Entries, row)
	}
	if len(entries) == auditPageSize {
		v.Audit.Older = entries[len(entries)-1].CreatedAt.UTC().Format(time.RFC3339Nano)
	}
	s.renderPage(w, r, http.StatusOK, "audit", "Audit log", v)
	return nil
}

// describe prints an event's details as "key: value" pairs in a stable order.
func describe(d map[string]any) string {
	parts := make([]string, 0, len(d))
	for _, k := range slices.Sorted(maps.Keys(d)) {
		parts = append(parts, fmt.Sprintf("%s: %v", k, d[k]))
	}
	return strings.Join(parts, ", ")
}
