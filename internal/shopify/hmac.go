package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// shopPattern is a shop's permanent domain. Shopify names every store
// x.myshopify.com; anything else (a custom domain, admin.shopify.com, a
// look-alike with a path or port) is refused before it is used in a URL
// we redirect to or call.
var shopPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.myshopify\.com$`)

// maxShopLen bounds a shop domain (a DNS name is at most 253 bytes; 255
// leaves room and is what the column is checked against).
const maxShopLen = 255

// ValidShop says whether shop is a store's myshopify.com domain, in the
// lower-case form Shopify sends it.
func ValidShop(shop string) bool {
	return len(shop) <= maxShopLen && shopPattern.MatchString(shop)
}

// QueryMessage is the string Shopify signs for a query it sends (the OAuth
// callback, the embedded app's launch URL): every parameter but hmac and
// signature, sorted by name, joined as k=v with &.
//
// Names and values are form-encoded (what @shopify/shopify-api's
// generateLocalHmac does with URLSearchParams: every byte but
// A-Z a-z 0-9 * - . _ percent-encoded, a space as +), so a value holding & or
// = cannot pose as two parameters. A repeated parameter (ids[]=1&ids[]=2,
// in admin links for bulk actions) is signed the way Shopify documents it:
// under its name without [] and with the value ["1", "2"], unencoded.
// The tests check this against vectors the library itself produced
// (vectors_test.go).
func QueryMessage(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k == "hmac" || k == "signature" {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		vs := q[k]
		if len(vs) > 1 {
			quoted := make([]string, len(vs))
			for i, v := range vs {
				quoted[i] = `"` + v + `"`
			}
			parts = append(parts, formEncode(strings.TrimSuffix(k, "[]"))+"=["+strings.Join(quoted, ", ")+"]")
			continue
		}
		v := ""
		if len(vs) == 1 {
			v = vs[0]
		}
		parts = append(parts, formEncode(k)+"="+formEncode(v))
	}
	return strings.Join(parts, "&")
}

// formEncode is the application/x-www-form-urlencoded byte serializer.
func formEncode(s string) string {
	var b strings.Builder
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// SignQuery is the hex HMAC-SHA256 Shopify puts in a query's hmac
// parameter, under the app's secret.
func SignQuery(secret string, q url.Values) string { return hex.EncodeToString(queryMAC(secret, q)) }

// queryMAC is the HMAC-SHA256 of q's signed message under secret.
func queryMAC(secret string, q url.Values) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(QueryMessage(q)))
	return m.Sum(nil)
}

// ValidQueryHMAC says whether q carries exactly one hmac parameter and it is
// the signature of the rest under secret, compared in constant time. It does
// not look at the timestamp (VerifyQuery does).
func ValidQueryHMAC(secret string, q url.Values) bool {
	got := q["hmac"]
	if secret == "" || len(got) != 1 {
		return false
	}
	mac, err := hex.DecodeString(got[0])
	return err == nil && hmac.Equal(mac, queryMAC(secret, q))
}

// ValidBodyHMAC says whether header (X-Shopify-Hmac-Sha256: base64 of the
// HMAC-SHA256 of the raw body under the app's secret) signs body, compared
// in constant time. The webhook route checks it before parsing anything.
func ValidBodyHMAC(secret string, body []byte, header string) bool {
	if secret == "" || header == "" {
		return false
	}
	mac, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(mac, m.Sum(nil))
}
