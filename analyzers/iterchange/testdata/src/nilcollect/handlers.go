// Package nilcollect serves JSON built from iterators.
package nilcollect

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"example.com/web"
)

type Service struct {
	Name     string
	Profiles map[string]bool
	Ports    map[int]string
}

type Project struct {
	Services map[string]*Service
	Networks map[string]string
}

// ServiceList is the response of GET /services.
type ServiceList struct {
	Names    []string `json:"names"`
	Networks []string `json:"networks,omitempty"`
	Hidden   []string `json:"-"`
	internal []string
}

// Summary has no json tags; exported fields are still encoded.
type Summary struct {
	Profiles []string
	Count    int
}

func listServices(w http.ResponseWriter, p *Project) {
	resp := ServiceList{
		Names:    slices.Sorted(maps.Keys(p.Services)), // want `slices.Sorted returns nil for an empty sequence and the result reaches field Names \(json:"names"\): the JSON output becomes null where it was \[\]; keep it non-nil .* or tag the field omitempty`
		Networks: slices.Sorted(maps.Keys(p.Networks)),
	}
	json.NewEncoder(w).Encode(resp)
}

func writeProfiles(w http.ResponseWriter, s *Service) error {
	profiles := slices.Collect(maps.Keys(s.Profiles)) // want `slices.Collect returns nil for an empty sequence and the result reaches json.Marshal: the JSON output becomes null where it was \[\]`
	slices.Sort(profiles)
	b, err := json.Marshal(profiles)
	if err != nil {
		return fmt.Errorf("encode profiles: %w", err)
	}
	_, err = w.Write(b)
	return err
}

func writePorts(w http.ResponseWriter, s *Service) error {
	return json.NewEncoder(w).Encode(map[string]any{
		"service": s.Name,
		"ports":   slices.Sorted(maps.Keys(s.Ports)), // want `slices.Sorted returns nil for an empty sequence and the result reaches json.NewEncoder\(w\).Encode`
	})
}

func summarize(p *Project) ([]byte, error) {
	var sum Summary
	sum.Profiles = slices.Sorted(maps.Keys(p.Networks)) // want `slices.Sorted returns nil .* reaches json.MarshalIndent`
	sum.Count = len(p.Networks)
	return json.MarshalIndent(sum, "", "  ")
}

func summaryLiteral(p *Project) ([]byte, error) {
	names := slices.Collect(maps.Keys(p.Services)) // want `slices.Collect returns nil .* reaches json.Marshal`
	return json.Marshal(&Summary{Profiles: names, Count: len(names)})
}

func ginHandler(c *web.Context, p *Project) {
	names := slices.Sorted(maps.Keys(p.Services)) // want `slices.Sorted returns nil .* reaches c.JSON`
	c.JSON(http.StatusOK, web.H{"services": names})
}

func fieldAssign(p *Project) ServiceList {
	var out ServiceList
	out.Names = slices.Collect(maps.Values(p.Networks)) // want `slices.Collect returns nil .* reaches field Names \(json:"names"\)`
	return out
}

// ---- negatives ----

func omitEmpty(p *Project) ServiceList {
	return ServiceList{Networks: slices.Sorted(maps.Keys(p.Networks))}
}

func dashTag(p *Project) ServiceList {
	return ServiceList{Hidden: slices.Sorted(maps.Keys(p.Networks)), internal: slices.Sorted(maps.Keys(p.Services))}
}

func guarded(w http.ResponseWriter, s *Service) {
	profiles := slices.Collect(maps.Keys(s.Profiles))
	if len(profiles) == 0 {
		profiles = []string{}
	}
	json.NewEncoder(w).Encode(profiles)
}

func guardedNil(w http.ResponseWriter, s *Service) {
	ports := slices.Sorted(maps.Keys(s.Ports))
	if ports == nil {
		ports = make([]int, 0)
	}
	json.NewEncoder(w).Encode(ports)
}

func guardedField(p *Project) ServiceList {
	var out ServiceList
	out.Names = slices.Sorted(maps.Keys(p.Services))
	if out.Names == nil {
		out.Names = []string{}
	}
	return out
}

func literalSeq() ([]byte, error) {
	return json.Marshal(slices.Collect(slices.Values([]string{"default"})))
}

func splitSeq(spec string) ([]byte, error) {
	return json.Marshal(slices.Collect(strings.SplitSeq(spec, ",")))
}

func nonEmptyBranch(w http.ResponseWriter, s *Service) {
	if len(s.Profiles) > 0 {
		json.NewEncoder(w).Encode(slices.Sorted(maps.Keys(s.Profiles)))
	}
}

func earlyExit(s *Service) ([]byte, error) {
	if len(s.Ports) == 0 {
		return []byte("[]"), nil
	}
	return json.Marshal(slices.Sorted(maps.Keys(s.Ports)))
}

// Only returned: the JSON encoding, if any, is out of sight.
func serviceNames(p *Project) []string {
	return slices.Sorted(maps.Keys(p.Services))
}

func printed(p *Project) {
	fmt.Println(slices.Sorted(maps.Keys(p.Services)))
}

func plainText(c *web.Context, p *Project) {
	c.String(http.StatusOK, "%v", slices.Sorted(maps.Keys(p.Services)))
}

// maps.Collect builds a map, never nil.
func collectMap(w http.ResponseWriter, p *Project) {
	json.NewEncoder(w).Encode(maps.Collect(maps.All(p.Networks)))
}

// Summary's Count field is an int; the slice goes only to a log line.
func logOnly(p *Project) Summary {
	names := slices.Collect(maps.Keys(p.Services))
	fmt.Println(strings.Join(names, ","))
	return Summary{Count: len(names)}
}

// AppendSeq onto a non-nil slice keeps [] for empty input.
func appendSeq(w http.ResponseWriter, p *Project) {
	names := slices.AppendSeq(make([]string, 0, len(p.Services)), maps.Keys(p.Services))
	json.NewEncoder(w).Encode(names)
}

// Declared first, assigned once: still the collect result that is encoded.
func declaredFirst(w http.ResponseWriter, p *Project) {
	var names []string
	names = slices.Collect(maps.Keys(p.Services)) // want `slices.Collect returns nil .* reaches json.NewEncoder\(w\).Encode`
	json.NewEncoder(w).Encode(&names)
}

// Positional struct literal with a tagged field.
type pair struct {
	Keys []string `json:"keys"`
	N    int      `json:"n"`
}

func positional(p *Project) pair {
	return pair{slices.Sorted(maps.Keys(p.Networks)), len(p.Networks)} // want `reaches field Keys \(json:"keys"\)`
}

// A nil check on the map does not rule out an empty one.
func nilMapCheck(s *Service) ([]byte, error) {
	if s.Ports == nil {
		return nil, fmt.Errorf("service %s has no ports map", s.Name)
	}
	return json.Marshal(slices.Sorted(maps.Keys(s.Ports))) // want `slices.Sorted returns nil .* reaches json.Marshal`
}
