package server

import (
	"maps"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// TestSessionCodecKeepsTypesAndReadsGob: what is stored comes back with its
// type (scs's getters assert it), and sessions written by the gob codec
// before still open.
func TestSessionCodecKeepsTypesAndReadsGob(t *testing.T) {
	t.Parallel()
	deadline := time.Unix(1700000000, 123456789)
	values := map[string]any{keyUserID: int64(42), keyEpoch: 3, keyFlash: "success:flash.saved", keyOrgCount: 2}
	for name, codec := range map[string]scs.Codec{"json": sessionCodec{}, "gob": scs.GobCodec{}} {
		b, err := codec.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		gotDeadline, got, err := sessionCodec{}.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !gotDeadline.Equal(deadline) || !maps.Equal(got, values) {
			t.Errorf("%s: %v %v, want %v %v", name, gotDeadline, got, deadline, values)
		}
	}
	if _, err := (sessionCodec{}).Encode(deadline, map[string]any{"x": 1.5}); err == nil {
		t.Error("a float was stored")
	}
}
