// Package godebug defines an Analyzer that reports code whose behaviour
// changes when the module's go line crosses a GODEBUG default change.
//
// # Analyzer godebug
//
// godebug: report code that a go line bump changes via GODEBUG defaults
//
// The go line of the main module selects the defaults of the GODEBUG
// settings: raising it from go1.21 to go1.26 switches on every behaviour
// change released in between. godebug compares the module's go line (or its
// "godebug default=" line) with the target given by -godebug.to (default:
// the running toolchain's language version) and, for each setting whose
// default flips in that window, reports the code shapes that setting
// changes. A setting the module pins to its old value in go.mod or with
// //go:debug (as upshift bump does) is reported too, marked "pinned:" and
// naming the directive, since the code changes once the pin is dropped:
//
//   - asynctimerchan (go1.23): "if !t.Stop() { <-t.C }" and the Reset form,
//     which block forever with unbuffered timer channels, and len(t.C) or
//     cap(t.C), which are always 0;
//   - httpmuxgo121 (go1.22): ServeMux patterns with a method, {wildcards},
//     {$} or %-escapes, which the old mux takes literally;
//   - panicnil (go1.21): panic(nil), and recover() results compared with nil
//     in packages that call panic(nil);
//   - randseednop (go1.24): rand.Seed with a seed that is meant to repeat a
//     sequence (constants, flags, configuration), now a no-op; seeds from
//     the clock or crypto/rand are not reported;
//   - gotypesalias (go1.23): x.(*types.Named) (it panics, or is false with
//     comma-ok) and "case *types.Named" on a go/types.Type that was not
//     passed through types.Unalias, outside functions that visibly handle
//     aliases and outside _test.go files;
//   - tls10server (go1.22): tls.Config literals with MaxVersion below
//     TLS 1.2 and no MinVersion, which accept no version as a server;
//   - urlstrictcolons (go1.26): constant http(s) URLs with unbracketed
//     colons in the host, which url.Parse now rejects;
//   - containermaxprocs and updatemaxprocs (go1.25):
//     runtime.GOMAXPROCS(runtime.NumCPU()), and GOMAXPROCS(0) cached at
//     package initialisation;
//   - cryptocustomrand (go1.26): deterministic readers (values of concrete
//     type, such as a seeded *math/rand.Rand) passed to key generation and
//     signing, which now ignore them; rsa1024min (go1.24): rsa.GenerateKey
//     with a constant size below 1024 bits.
//
// Each report names the setting, the release that changed it, the code fix
// and the go.mod line that keeps the old behaviour (godebug name=old).
//
// Fixes: a blocking timer drain (if !t.Stop() { <-t.C }) becomes a select
// with a default case (safe tier); rand.Seed(seed) becomes a local
// generator, rng := rand.New(rand.NewSource(seed)), that the function's
// later draws use (behavior tier: the seeded sequence is kept, but other
// packages no longer share it), when no other function of the package
// draws from the global source and no function literal draws after the
// seed. Other findings carry the reason and the godebug line that
// `upshift bump -pin` writes to keep the old default.
//
// Deliberately not reported: plain ServeMux paths; the ordinary
// "if r := recover(); r != nil" guard in packages without panic(nil);
// rand.Seed fed from the clock or crypto/rand (already random since go1.20);
// tls.Config values with explicit MinVersion, CipherSuites or
// CurvePreferences, which the TLS GODEBUG defaults do not override;
// settings with no code shape (tlsrsakex, tls3des, tlssha1, tlsmlkem,
// tlssecpmlkem, x509 parsing settings, x509keypairleaf, multipathtcp,
// httplaxcontentlength, httpservecontentkeepheaders, Windows file modes);
// randautoseed, whose go1.20 auto-seeding applies to every go line, so no
// go line bump changes it (golden tests on the unseeded global source broke
// when the toolchain, not the go line, moved past go1.20).
// GODEBUG defaults come from the main module that builds the binary; for a
// library the analyzer uses the library's own go line. godebug lines in
// go.work and the GODEBUG environment variable are not consulted, and code
// outside a module is treated as go1.20.
package godebug
