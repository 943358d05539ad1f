package curation_test

import (
	"strings"
	"testing"

	"pasokan/internal/curation"
)

func TestRegistryLink(t *testing.T) {
	for _, c := range []struct {
		link string
		ok   bool
	}{
		{"https://infoalkes.kemkes.go.id/perusahaan/detail?reg=AKD+21603020123", true},
		{"https://kemkes.go.id/izin", true},
		{"https://INFOALKES.KEMKES.GO.ID/", true},
		{"http://infoalkes.kemkes.go.id/", false},              // not https
		{"https://infoalkes.kemkes.go.id.example.com/", false}, // another domain
		{"https://evilkemkes.go.id/", false},                   // not a name under kemkes.go.id
		{"https://kemkes.go.id@evil.example/", false},          // credentials, another host
		{"https://infoalkes.kemkes.go.id:8443/", false},        // a port
		{"javascript:alert(1)//kemkes.go.id", false},           // not a web address
		{"infoalkes.kemkes.go.id/izin", false},                 // no scheme
		{"https://infoalkes.kemkes.go.id/\u202eevil", false},   // a bidirectional override
		{"https://infoalkes.kemkes.go.id/" + strings.Repeat("a", curation.MaxLink), false},
	} {
		if got := curation.RegistryLink(c.link); got != c.ok {
			t.Errorf("RegistryLink(%q) = %v, want %v", c.link, got, c.ok)
		}
	}
}
