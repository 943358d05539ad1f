package server

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec stores session data as JSON with each value's type kept:
// scs's gob codec compiled its decoder on every request, a fifth of a
// logged-in page's CPU (measured with the queue's benchmark). Data in the
// gob form, written before, is still read.
type sessionCodec struct{}

// sessionData is the stored form.
type sessionData struct {
	Deadline int64                   `json:"d"`
	Values   map[string]sessionValue `json:"v"`
}

// sessionValue is one value with its type: the session holds int64 ids and
// times, ints and strings only.
type sessionValue struct {
	I64 *int64  `json:"l,omitempty"`
	Int *int    `json:"i,omitempty"`
	Str *string `json:"s,omitempty"`
}

// Encode writes deadline and values.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	d := sessionData{Deadline: deadline.UnixNano(), Values: make(map[string]sessionValue, len(values))}
	for k, v := range values {
		switch x := v.(type) {
		case int64:
			d.Values[k] = sessionValue{I64: &x}
		case int:
			d.Values[k] = sessionValue{Int: &x}
		case string:
			d.Values[k] = sessionValue{Str: &x}
		default:
			return nil, fmt.Errorf("session: value %q of type %T cannot be stored", k, v)
		}
	}
	return json.Marshal(d)
}

// Decode reads what Encode wrote, or scs's gob form.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != '{' {
		return scs.GobCodec{}.Decode(b)
	}
	var d sessionData
	if err := json.Unmarshal(b, &d); err != nil {
		return time.Time{}, nil, fmt.Errorf("session: %w", err)
	}
	values := make(map[string]any, len(d.Values))
	for k, v := range d.Values {
		switch {
		case v.I64 != nil:
			values[k] = *v.I64
		case v.Int != nil:
			values[k] = *v.Int
		case v.Str != nil:
			values[k] = *v.Str
		}
	}
	return time.Unix(0, d.Deadline), values, nil
}

// sessionHolder reads who holds a session from its encoded data, for the
// store to keep beside it; 0, 0 for a visitor's session or unreadable data.
func sessionHolder(b []byte) (userID, orgID int64) {
	_, values, err := sessionCodec{}.Decode(b)
	if err != nil {
		return 0, 0
	}
	userID, _ = values[keyUserID].(int64)
	orgID, _ = values[keyOrgID].(int64)
	return userID, orgID
}
