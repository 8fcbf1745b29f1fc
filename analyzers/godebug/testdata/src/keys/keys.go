// Package keys holds test fixtures.
package keys
