// Package golangci registers upshift's analyzers as a golangci-lint v2
// module plugin named "upshift". Build a custom golangci-lint with it
// (`golangci-lint custom`, see README.md) and enable the linter:
//
//	linters:
//	  enable: [upshift]
//	  settings:
//	    custom:
//	      upshift:
//	        type: module
//	        settings:
//	          analyzers: [maporder, bytestring]   # names or rule IDs; all when absent
//	          tier: safe                          # fixes --fix may apply: safe (default) or behavior
//	          flags:                              # analyzer flags, by analyzer
//	            godebug: {to: go1.26}
//
// Settings are decoded strictly: an unknown key is an error. Every
// diagnostic carries at most one fix, as golangci-lint's --fix requires.
// Flags are nested by analyzer because golangci-lint's configuration
// loader (viper) splits dotted keys: `godebug.to: go1.26` reaches the
// plugin as {godebug: {to: go1.26}}, so that spelling works too.
package golangci

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

// Name is the linter's name in golangci-lint's configuration.
const Name = "upshift"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Analyzers lists the analyzers to run, by name or rule ID; all of
	// them when empty.
	Analyzers []string `json:"analyzers"`
	// Tier is the highest tier of fix offered to --fix: "safe" (the
	// default: fixes that keep behaviour) or "behavior".
	Tier string `json:"tier"`
	// Flags sets analyzer flags, keyed by analyzer name and then flag
	// name: {"godebug": {"to": "go1.26"}}. Values are strings, booleans
	// or numbers, as YAML gives them.
	Flags map[string]map[string]any `json:"flags"`
}

// Plugin is upshift as a golangci-lint linter.
type Plugin struct {
	analyzers []*analysis.Analyzer
	tier      tier.Tier
}

// New decodes the settings and checks them; golangci-lint calls it once.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("upshift settings: %w", err)
	}
	p := &Plugin{tier: tier.Safe}
	switch tier.Tier(s.Tier) {
	case "", tier.Safe:
	case tier.Behavior:
		p.tier = tier.Behavior
	default:
		return nil, fmt.Errorf("upshift settings: tier %q: use safe or behavior", s.Tier)
	}
	if len(s.Analyzers) == 0 {
		p.analyzers = registry.Analyzers()
	}
	for _, name := range s.Analyzers {
		c, ok := registry.Lookup(name)
		if !ok {
			var names []string
			for _, c := range registry.Checks() {
				names = append(names, c.Name)
			}
			return nil, fmt.Errorf("upshift settings: unknown analyzer %q (have %s)", name, strings.Join(names, ", "))
		}
		p.analyzers = append(p.analyzers, c.Analyzer)
	}
	// Sorted, so that the first bad flag reported is the same every run.
	for _, name := range slices.Sorted(maps.Keys(s.Flags)) {
		flags := s.Flags[name]
		for _, flag := range slices.Sorted(maps.Keys(flags)) {
			if err := setFlag(name, flag, flags[flag]); err != nil {
				return nil, fmt.Errorf("upshift settings: flags: %s.%s: %w", name, flag, err)
			}
		}
	}
	return p, nil
}

// setFlag sets flag of the analyzer name (by name or rule ID) to value.
func setFlag(name, flag string, value any) error {
	c, found := registry.Lookup(name)
	if !found {
		return fmt.Errorf("no analyzer %s", name)
	}
	if c.Analyzer.Flags.Lookup(flag) == nil {
		return fmt.Errorf("analyzer %s has no flag %s", c.Name, flag)
	}
	var text string
	switch v := value.(type) {
	case string:
		text = v
	case bool, float64:
		text = fmt.Sprint(v)
	default:
		return fmt.Errorf("value %v (%T): want a string, boolean or number", value, value)
	}
	return c.Analyzer.Flags.Set(flag, text)
}

// BuildAnalyzers returns the selected analyzers. Their fixes are built up
// to the configured tier: golangci-lint applies every fix it is given.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	rewrite.SetWanted(true)
	rewrite.SetMaxTier(p.tier)
	return p.analyzers, nil
}

// GetLoadMode says that the analyzers need type information.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
