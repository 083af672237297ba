package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlockedAddress is returned (wrapped) when a delivery would connect to an
// address the guard refuses.
var ErrBlockedAddress = errors.New("refusing to connect to a private, loopback or link-local address")

// AttemptTimeout bounds one delivery: connecting, sending and the answer's
// headers and excerpt. A slower endpoint counts as failed.
const AttemptTimeout = 10 * time.Second

// blockedPrefixes are the IPv4 and IPv6 ranges that are not the public
// internet beyond what netip's predicates cover (loopback, private,
// link-local, multicast, unspecified): a delivery must never reach the
// host's own network, its cloud's metadata service or a carrier's NAT.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
}

// nat64 embeds an IPv4 address in its last 32 bits: the embedded address is
// what the translator connects to, so it is checked as well.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// Blocked reports whether a delivery may not connect to ip: loopback,
// private (RFC 1918, ULA fc00::/7), link-local (169.254/16 with the cloud
// metadata services, fe80::/10), unspecified, multicast, CGNAT and the other
// ranges above, including their IPv4-mapped IPv6 forms (::ffff:127.0.0.1).
func Blocked(ip netip.Addr) bool {
	if !ip.IsValid() {
		return true
	}
	ip = ip.Unmap()
	if ip.Is6() && nat64.Contains(ip) {
		b := ip.As16()
		return Blocked(netip.AddrFrom4([4]byte(b[12:])))
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// guardControl runs after the name is resolved, on the very address being
// dialed: DNS rebinding (a name that resolved to a public address when the
// endpoint was saved and to 127.0.0.1 now) cannot get around it.
func guardControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read the address %q", ErrBlockedAddress, address)
	}
	if Blocked(ap.Addr()) {
		return fmt.Errorf("%w (%s)", ErrBlockedAddress, ap.Addr())
	}
	return nil
}

// NewClient returns the HTTP client deliveries go through: no proxy from the
// environment (the dial check must see the endpoint's address, not a
// proxy's), no redirects followed (a 3xx is an answer, and counts as a
// failure: following it could lead anywhere), short timeouts, and unless
// allowPrivate the dial-time address guard.
func NewClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = guardControl
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          20,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: AttemptTimeout,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   AttemptTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
