// Package settings reads raw switches for other packages.
package settings

import "os"

// Get returns the content of a switch file.
func Get(name string) (any, error) {
	b, err := os.ReadFile("/etc/app/" + name)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Text returns the content as text.
func Text(name string) any {
	b, _ := os.ReadFile("/etc/app/" + name)
	return string(b)
}
