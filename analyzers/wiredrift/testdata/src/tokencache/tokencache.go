// Package tokencache holds the key of an OIDC token cache, shaped like
// kubelogin's: the map sits two structs deep.
package tokencache

// Provider describes the identity provider a token came from.
type Provider struct {
	IssuerURL              string
	ClientID               string
	ExtraScopes            []string
	AuthRequestExtraParams map[string]string
}

// TLSClientConfig is map-free.
type TLSClientConfig struct {
	CACertFilename []string
	SkipTLSVerify  bool
}

// Key identifies a cached token.
type Key struct {
	Provider        Provider
	TLSClientConfig TLSClientConfig
	Username        string
}

// PlainKey has no map anywhere: its gob bytes are stable.
type PlainKey struct {
	IssuerURL string
	ClientID  string
	Scopes    []string
}
