// Package urls is a metrics scraper configured with literal endpoints.
package urls

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
)

func endpoints() ([]*url.URL, error) {
	local, err := url.Parse("http://fe80::1/metrics") // want `Parse\("http://fe80::1/metrics"\) fails from go1\.26: the host "fe80::1" has more than one unbracketed colon.*GODEBUG urlstrictcolons changed in go1\.26.*godebug urlstrictcolons=0`
	if err != nil {
		return nil, err
	}
	return []*url.URL{local}, nil
}

func scrape(ctx context.Context, c *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://::1:9100/metrics", nil) // want `NewRequestWithContext\("http://::1:9100/metrics"\) fails from go1\.26`
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	_, err = c.Get("https://user:secret@db:primary:8443/health") // want `Get\(.*\) fails from go1\.26: the host "db:primary:8443"`
	return err
}

func testRequest() *http.Request {
	return httptest.NewRequest("GET", "http://fe80::2:8080/", nil) // want `NewRequest\(.*\) fails from go1\.26`
}

// Bracketed hosts, single ports, other schemes and computed URLs are fine.
func fine(host string) {
	url.Parse("http://[::1]:9100/metrics")
	url.Parse("https://example.com:8443/x")
	url.Parse("postgres://db1:5432,db2:5432/app")
	url.Parse("mongodb://a:27017,b:27017/?replicaSet=rs0")
	url.Parse("http://" + host + "/metrics")
	url.Parse("http://a:b:c/") // rejected by both parsers already
	url.Parse("http://example.com/path:with:colons")
}
