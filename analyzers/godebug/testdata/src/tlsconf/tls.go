// Package tlsconf builds the TLS configuration of a legacy device gateway.
package tlsconf

import "crypto/tls"

// legacyDevices serves embedded clients that only speak TLS 1.0 and 1.1.
func legacyDevices(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MaxVersion:   tls.VersionTLS11, // want `this tls\.Config caps MaxVersion below TLS 1\.2 and leaves MinVersion unset.*GODEBUG tls10server changed in go1\.22.*set MinVersion explicitly \(tls\.VersionTLS10\), or keep the old behaviour with .godebug tls10server=1.`
	}
}

var oldest = tls.Config{
	MaxVersion: tls.VersionTLS10, // want `caps MaxVersion below TLS 1\.2`
	MinVersion: 0,
}

// Explicit versions, suites and curves win over the GODEBUG defaults.
func explicitMin(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS10,
		MaxVersion:   tls.VersionTLS11,
	}
}

func modern() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13}
}

func rsaSuites() *tls.Config {
	return &tls.Config{
		CipherSuites: []uint16{
			tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
		},
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256},
	}
}

func capped(v uint16) *tls.Config {
	return &tls.Config{MaxVersion: v}
}
