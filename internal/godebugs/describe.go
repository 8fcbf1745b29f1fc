package godebugs

// describe returns a few words on what the new default of a GODEBUG setting
// changes, for messages and for `upshift explain`. It is written by hand
// (the toolchain's table has no prose); TestDescriptions fails when the
// generated table gains a setting that a go line can flip and that has no
// entry here.
func describe(name string) string {
	switch name {
	case "asynctimerchan":
		return "Timer and Ticker channels are unbuffered: no stale value after Stop or Reset, len and cap are 0"
	case "containermaxprocs":
		return "GOMAXPROCS defaults to the container (cgroup) CPU limit instead of the machine's CPU count"
	case "cryptocustomrand":
		return "crypto key generation and signing ignore the caller's io.Reader and always use a secure random source"
	case "decoratemappings":
		return "the runtime names its anonymous memory mappings (visible in /proc/self/maps)"
	case "gotestjsonbuildtext":
		return "go test -json reports build errors as JSON events instead of plain text"
	case "gotypesalias":
		return "go/types represents alias declarations as *types.Alias instead of the aliased type"
	case "httpcookiemaxnum":
		return "net/http stops parsing a Cookie header after 3000 cookies"
	case "httplaxcontentlength":
		return "net/http rejects an empty Content-Length header"
	case "httpmuxgo121":
		return "ServeMux patterns accept methods, {wildcards} and {$}, and match unescaped path segments"
	case "httpservecontentkeepheaders":
		return "ServeContent, ServeFile and FileServer drop Cache-Control, Content-Encoding, ETag and Last-Modified on error responses"
	case "multipathtcp":
		return "net listeners enable Multipath TCP where the system supports it"
	case "netedns0":
		return "the pure Go DNS resolver sends an EDNS0 header"
	case "panicnil":
		return "panic(nil) panics with *runtime.PanicNilError, so recover() returns non-nil"
	case "randseednop":
		return "math/rand.Seed is a no-op: the global source stays randomly seeded"
	case "rsa1024min":
		return "crypto/rsa rejects keys smaller than 1024 bits"
	case "tls10server":
		return "crypto/tls servers default to TLS 1.2 as the minimum version"
	case "tls3des":
		return "crypto/tls drops the 3DES cipher suites from the default list"
	case "tlsmlkem":
		return "crypto/tls offers the X25519MLKEM768 post-quantum key exchange by default"
	case "tlsrsakex":
		return "crypto/tls drops RSA key exchange cipher suites from the default list"
	case "tlssecpmlkem":
		return "crypto/tls offers the SecP256r1MLKEM768 and SecP384r1MLKEM1024 key exchanges by default"
	case "tlssha1":
		return "crypto/tls disables SHA-1 signature algorithms in TLS 1.2"
	case "tlsunsafeekm":
		return "ExportKeyingMaterial fails on TLS 1.2 connections without Extended Master Secret"
	case "updatemaxprocs":
		return "the runtime updates GOMAXPROCS while running when the CPU limit changes"
	case "urlmaxqueryparams":
		return "net/url rejects queries with more than 10000 parameters"
	case "urlstrictcolons":
		return "url.Parse rejects http and https hosts with more than one unbracketed colon"
	case "winreadlinkvolume":
		return "os.Readlink and filepath.EvalSymlinks on Windows stop rewriting volumes to drive letters"
	case "winsymlink":
		return "os on Windows reports mount points as directories and reparse points as irregular files"
	case "x509keypairleaf":
		return "tls.X509KeyPair and LoadX509KeyPair fill in Certificate.Leaf"
	case "x509negativeserial":
		return "crypto/x509 rejects certificates with negative serial numbers"
	case "x509rsacrt":
		return "x509.ParsePKCS1PrivateKey uses and validates the CRT values stored in the key"
	case "x509sha256skid":
		return "CreateCertificate derives SubjectKeyId with SHA-256 instead of SHA-1"
	case "x509usepolicies":
		return "Certificate.Verify and CreateCertificate use the Policies field instead of PolicyIdentifiers"
	}
	return ""
}
