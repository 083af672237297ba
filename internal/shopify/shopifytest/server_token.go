package shopifytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"
)

// Claims are a session token's claims; SessionToken fills them for a shop
// and the test changes what it breaks.
type Claims map[string]any

// SessionToken signs an App Bridge session token for shop as Shopify does
// (HS256 with the app's secret; iss, dest, aud, sub, exp, nbf, iat, jti,
// sid), after edit (if any) changed the claims. alg "none" gives an
// unsigned token.
func SessionToken(apiKey, secret, shop string, now time.Time, alg string, edit func(Claims)) string {
	c := Claims{
		"iss":  "https://" + shop + "/admin",
		"dest": "https://" + shop,
		"aud":  apiKey,
		"sub":  "42",
		"exp":  now.Add(time.Minute).Unix(),
		"nbf":  now.Unix(),
		"iat":  now.Unix(),
		"jti":  random(),
		"sid":  random(),
	}
	if edit != nil {
		edit(c)
	}
	if alg == "" {
		alg = "HS256"
	}
	head, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	body, _ := json.Marshal(c)
	signing := base64.RawURLEncoding.EncodeToString(head) + "." + base64.RawURLEncoding.EncodeToString(body)
	if alg == "none" {
		return signing + "."
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
