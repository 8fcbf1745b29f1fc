// Package web is a stub of a gin-like web framework.
package web

// H is a shortcut for JSON objects.
type H map[string]any

type Context struct{}

// JSON writes obj as the JSON response body.
func (c *Context) JSON(code int, obj any) {}

// String writes a text response.
func (c *Context) String(code int, format string, values ...any) {}
