package embed

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// A shopper key names one browser's shopper across widget sessions, so
// the same browser finds its designs again: the iframe keeps it (in
// localStorage when it may) and sends it as X-Luneo-Shopper. It is
//
//	"sk_" + base64url(16 random bytes: the shopper ID) + "." + base64url(HMAC-SHA256(key, brand|id))
//
// under a key derived from LUNEO_SECRET with a label of its own, so it is
// checked without storage, is bound to its brand (another brand's key
// does not verify), and cannot be made up. Keys signed before a secret
// rotation still verify.

// shopperPrefix starts every shopper key.
const shopperPrefix = "sk_"

// shopperLabel is the HKDF label of the shopper key MAC: no other token
// shares its key.
const shopperLabel = "luneo embed shopper key v1"

// maxShopperKey bounds the key read from a header: the real ones are 69
// characters.
const maxShopperKey = 100

// shopperKeys holds the MAC keys: the first signs, all verify.
type shopperKeys [][]byte

func newShopperKeys(secrets []string) (shopperKeys, error) {
	var keys shopperKeys
	for _, s := range secrets {
		k, err := hkdf.Key(sha256.New, []byte(s), nil, shopperLabel, 32)
		if err != nil {
			return nil, fmt.Errorf("embed: shopper key: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func shopperMAC(key []byte, brandID, id string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(brandID + "|" + id))
	return m.Sum(nil)
}

// IssueShopper returns a new shopper key for brandID and the shopper ID it
// carries.
func (s *Service) IssueShopper(brandID string) (key, id string, err error) {
	if id, err = random(16); err != nil {
		return "", "", err
	}
	mac := shopperMAC(s.shoppers[0], brandID, id)
	return shopperPrefix + id + "." + base64.RawURLEncoding.EncodeToString(mac), id, nil
}

// VerifyShopper checks that key is a shopper key of brandID and returns its
// shopper ID. Any failure (garbage, a forged MAC, another brand's key) is
// ErrRefused, with the reason for the server's log.
func (s *Service) VerifyShopper(brandID, key string) (id, reason string, err error) {
	if brandID == "" || key == "" {
		return "", "no shopper key", ErrRefused
	}
	rest, ok := strings.CutPrefix(key, shopperPrefix)
	if !ok || len(key) > maxShopperKey {
		return "", "malformed shopper key", ErrRefused
	}
	id, sig, ok := strings.Cut(rest, ".")
	raw, idErr := base64.RawURLEncoding.Strict().DecodeString(id)
	mac, sigErr := base64.RawURLEncoding.Strict().DecodeString(sig)
	if !ok || idErr != nil || sigErr != nil || len(raw) != 16 || len(mac) != sha256.Size {
		return "", "malformed shopper key", ErrRefused
	}
	for _, k := range s.shoppers {
		if hmac.Equal(mac, shopperMAC(k, brandID, id)) {
			return id, "", nil
		}
	}
	return "", "shopper key not signed for this brand", ErrRefused
}

// Shopper returns the shopper of a widget session of brandID: the one
// presented (the same key back) when it verifies, else a new one. reason
// says why a presented key was replaced, for the log ("" when none was
// presented or it was kept).
func (s *Service) Shopper(brandID, presented string) (key, id, reason string, err error) {
	if presented != "" {
		if id, reason, err = s.VerifyShopper(brandID, presented); err == nil {
			return presented, id, "", nil
		}
	}
	key, id, err = s.IssueShopper(brandID)
	return key, id, reason, err
}
