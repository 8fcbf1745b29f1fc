// Package atomicfile replaces files so that a reader, or a run that is
// interrupted, sees either the old content or the new, never a mix; and
// replaces sets of files all or nothing: when one of them cannot be
// replaced, none is.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Write replaces the existing file at path with data: the data goes to a
// temporary file in the same directory, which gets the old file's mode, is
// synced, and is renamed over the old file.
func Write(path string, data []byte) error {
	return WriteAll(map[string][]byte{path: data})
}

// Ops are the file-system operations a batch write performs. OS performs
// them for real; tests wrap it to make any one of them fail.
type Ops interface {
	// Stat describes an existing file.
	Stat(path string) (fs.FileInfo, error)
	// ReadFile returns a file's content.
	ReadFile(path string) ([]byte, error)
	// Replaceable says why path cannot be renamed over (an immutable or
	// append-only file, a sticky directory owned by someone else), or nil.
	Replaceable(path string, info fs.FileInfo) error
	// WriteTemp creates a new file in dir whose name matches pattern (as
	// os.CreateTemp), writes data, sets perm, syncs and closes it, and
	// returns its name.
	WriteTemp(dir, pattern string, data []byte, perm fs.FileMode) (string, error)
	// Rename renames from to to, replacing to.
	Rename(from, to string) error
	// Remove removes a file.
	Remove(path string) error
}

// OS is Ops on the real file system.
type OS struct{}

// Stat implements Ops.
func (OS) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

// ReadFile implements Ops.
func (OS) ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// Replaceable implements Ops; the checks are platform-specific.
func (OS) Replaceable(path string, info fs.FileInfo) error { return replaceable(path, info) }

// Rename implements Ops.
func (OS) Rename(from, to string) error { return os.Rename(from, to) }

// Remove implements Ops.
func (OS) Remove(path string) error { return os.Remove(path) }

// WriteTemp implements Ops.
func (OS) WriteTemp(dir, pattern string, data []byte, perm fs.FileMode) (string, error) {
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	err = func() error {
		if _, err := tmp.Write(data); err != nil {
			return err
		}
		if err := tmp.Chmod(perm); err != nil {
			return err
		}
		return tmp.Sync()
	}()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// WriteAll replaces every existing file named in files with its new
// content, all or nothing, on the real file system.
func WriteAll(files map[string][]byte) error {
	return WriteAllWith(OS{}, files)
}

// pending is one file of a batch: where it goes and its prepared copies.
type pending struct {
	path   string
	info   fs.FileInfo
	newTmp string // the new content, ready to be renamed over path
	oldTmp string // a copy of the old content, to rename back on failure
}

// WriteAllWith replaces every existing file named in files with its new
// content through ops, all or nothing:
//
//  1. every target is checked to exist and to be replaceable, and nothing
//     is written if one is not;
//  2. the new content and a copy of the old go to temporary files next to
//     each target (mode kept, synced), and nothing is replaced if one of
//     them cannot be written;
//  3. the new files are renamed over the targets; if a rename fails, the
//     targets already replaced get their old copies renamed back.
//
// Each rename is atomic, so a reader never sees a half-written file. The
// error says what failed and, in the rare case that restoring failed too,
// which files hold new content.
func WriteAllWith(ops Ops, files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)

	var problems []string
	batch := make([]*pending, 0, len(paths))
	for _, p := range paths {
		info, err := ops.Stat(p)
		if err == nil && !info.Mode().IsRegular() {
			err = errors.New("not a regular file")
		}
		if err == nil {
			err = ops.Replaceable(p, info)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		batch = append(batch, &pending{path: p, info: info})
	}
	if len(problems) > 0 {
		return fmt.Errorf("cannot replace; nothing was written:\n%s", strings.Join(problems, "\n"))
	}

	cleanup := func() {
		for _, b := range batch {
			for _, t := range []string{b.newTmp, b.oldTmp} {
				if t != "" {
					ops.Remove(t)
				}
			}
		}
	}
	for _, b := range batch {
		dir, base := filepath.Dir(b.path), filepath.Base(b.path)
		perm := b.info.Mode().Perm()
		old, err := ops.ReadFile(b.path)
		if err == nil {
			b.oldTmp, err = ops.WriteTemp(dir, "."+base+".upshift-old-*", old, perm)
		}
		if err == nil {
			b.newTmp, err = ops.WriteTemp(dir, "."+base+".upshift-*", files[b.path], perm)
		}
		if err != nil {
			cleanup()
			return fmt.Errorf("preparing %s: %w; nothing was written", b.path, err)
		}
	}

	for i, b := range batch {
		err := ops.Rename(b.newTmp, b.path)
		if err == nil {
			b.newTmp = ""
			continue
		}
		failed := fmt.Errorf("replacing %s: %w", b.path, err)
		var stuck []string
		for _, done := range batch[:i] {
			if rerr := ops.Rename(done.oldTmp, done.path); rerr != nil {
				stuck = append(stuck, fmt.Sprintf("%s holds the new content (restoring it failed: %v; the old content is in %s)", done.path, rerr, done.oldTmp))
				done.oldTmp = "" // keep the only copy of the old content
				continue
			}
			done.oldTmp = ""
		}
		cleanup()
		if len(stuck) > 0 {
			return fmt.Errorf("%w; restoring the files already replaced failed:\n%s", failed, strings.Join(stuck, "\n"))
		}
		if i == 0 {
			return fmt.Errorf("%w; nothing was written", failed)
		}
		return fmt.Errorf("%w; the %d file(s) already replaced were restored: nothing was changed", failed, i)
	}
	cleanup() // the old copies
	return nil
}
