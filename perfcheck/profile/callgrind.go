package profile

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// site is where callgrind attributed instructions: object, function,
// source file (the inlined file when fi=/fe= says so) and line.
type site struct {
	object, function, file string
	line                   int64
}

// callgrindData is the self cost of every site in one callgrind output
// file.
type callgrindData struct {
	cmd   string
	self  map[site]uint64
	order []site // first-seen order, for deterministic output
	total uint64
}

// recursionSuffix is callgrind's marker for recursion depth
// (runtime.bgscavenge'2).
var recursionSuffix = regexp.MustCompile(`'\d+$`)

// parseCallgrind reads callgrind's output format (version 1): name
// compression, relative subpositions, fi=/fe= inlined files, and call
// lines whose inclusive cost is not self cost. Only the Ir event is kept.
func parseCallgrind(r io.Reader) (*callgrindData, error) {
	d := &callgrindData{self: map[site]uint64{}}
	names := map[string]map[string]string{"ob": {}, "fl": {}, "fn": {}}
	// uncompress resolves "(id) name" (defines id) and "(id)" (refers).
	uncompress := func(table, v string) (string, error) {
		if !strings.HasPrefix(v, "(") {
			return v, nil
		}
		end := strings.IndexByte(v, ')')
		if end < 0 {
			return "", fmt.Errorf("bad compressed name %q", v)
		}
		id, name := v[1:end], strings.TrimSpace(v[end+1:])
		if name == "" {
			n, ok := names[table][id]
			if !ok {
				return "", fmt.Errorf("compressed name (%s) used before its definition", id)
			}
			return n, nil
		}
		names[table][id] = name
		return name, nil
	}

	var (
		positions           = 1
		lineCol             = 0
		irCol               = -1
		object, fl, file, f string
		last                []int64
		inCall              bool
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		fail := func(err error) error { return fmt.Errorf("callgrind output line %d: %w", lineNo, err) }
		c := text[0]
		if c >= '0' && c <= '9' || c == '+' || c == '-' || c == '*' {
			fields := strings.Fields(text)
			if len(fields) < positions {
				return nil, fail(fmt.Errorf("cost line %q has fewer than %d positions", text, positions))
			}
			if last == nil {
				last = make([]int64, positions)
			}
			for i := 0; i < positions; i++ {
				v, err := subposition(fields[i], last[i])
				if err != nil {
					return nil, fail(err)
				}
				last[i] = v
			}
			if inCall {
				// The inclusive cost of a call: the callee's
				// instructions are self cost elsewhere.
				inCall = false
				continue
			}
			var ir uint64
			if k := positions + irCol; irCol >= 0 && k < len(fields) {
				n, err := strconv.ParseUint(fields[k], 10, 64)
				if err != nil {
					return nil, fail(fmt.Errorf("bad cost %q", fields[k]))
				}
				ir = n
			}
			if ir == 0 {
				continue
			}
			var line int64
			if lineCol >= 0 {
				line = last[lineCol]
			}
			s := site{object: object, function: f, file: file, line: line}
			if _, ok := d.self[s]; !ok {
				d.order = append(d.order, s)
			}
			d.self[s] += ir
			d.total += ir
			continue
		}
		key, value, ok := strings.Cut(text, "=")
		if ok && !strings.Contains(key, ":") && !strings.Contains(key, " ") {
			var err error
			switch key {
			case "ob":
				object, err = uncompress("ob", value)
			case "fl":
				fl, err = uncompress("fl", value)
				file = fl
			case "fi", "fe":
				file, err = uncompress("fl", value)
			case "fn":
				f, err = uncompress("fn", value)
				f = recursionSuffix.ReplaceAllString(f, "")
				file = fl
			case "cob":
				_, err = uncompress("ob", value)
			case "cfi", "cfl", "jfi":
				_, err = uncompress("fl", value)
			case "cfn", "jfn":
				_, err = uncompress("fn", value)
			case "calls":
				inCall = true
			}
			if err != nil {
				return nil, fail(err)
			}
			continue
		}
		hkey, hval, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fail(fmt.Errorf("unrecognised line %q", text))
		}
		hval = strings.TrimSpace(hval)
		switch hkey {
		case "cmd":
			d.cmd = hval
		case "positions":
			pos := strings.Fields(hval)
			positions, lineCol = len(pos), -1
			for i, p := range pos {
				if p == "line" {
					lineCol = i
				}
			}
			last = nil
		case "events":
			irCol = -1
			for i, e := range strings.Fields(hval) {
				if e == "Ir" {
					irCol = i
				}
			}
			if irCol < 0 {
				return nil, fail(fmt.Errorf("no Ir event in %q", hval))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading callgrind output: %w", err)
	}
	if irCol < 0 {
		return nil, fmt.Errorf("callgrind output has no events: line")
	}
	return d, nil
}

// subposition decodes an absolute ("42", "0x4010a0") or relative ("+3",
// "-2", "*") subposition.
func subposition(s string, last int64) (int64, error) {
	switch {
	case s == "*":
		return last, nil
	case s[0] == '+' || s[0] == '-':
		n, err := strconv.ParseInt(s[1:], 0, 64)
		if err != nil {
			return 0, fmt.Errorf("bad relative position %q", s)
		}
		if s[0] == '-' {
			n = -n
		}
		return last + n, nil
	}
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("bad position %q", s)
	}
	return int64(n), nil
}
