package account

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Password rules: at least 8 characters, at most 128 (well above the 64 that
// a passphrase needs, and a bound on hashing work); never truncated; not a
// common password; not the account's own e-mail address.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 128
)

// hashParams are argon2id's parameters: the OWASP minimum of 19 MiB memory,
// two passes, one lane.
var hashParams = &argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

//go:embed common-passwords.txt
var commonPasswordsFile []byte

// Passwords hashes and checks passwords and knows the common ones.
type Passwords struct {
	common map[string]struct{}
	// dummy is a hash of nothing anyone knows, compared against when an
	// e-mail address is unknown so that the answer takes as long.
	dummy string
}

// NewPasswords loads the list of common passwords.
func NewPasswords() (*Passwords, error) {
	p := &Passwords{common: make(map[string]struct{}, 20000)}
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			p.common[w] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("account: common passwords: %w", err)
	}
	dummy, err := argon2id.CreateHash("pasokan: no such account", hashParams)
	if err != nil {
		return nil, fmt.Errorf("account: dummy hash: %w", err)
	}
	p.dummy = dummy
	return p, nil
}

// Check returns the i18n key of what is wrong with password, or "".
func (p *Passwords) Check(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		return "error.password_short"
	case n > PasswordMaxLen:
		return "error.password_long"
	}
	lower := strings.ToLower(password)
	if _, ok := p.common[lower]; ok {
		return "error.password_common"
	}
	if email != "" && (lower == strings.ToLower(email) || lower == strings.ToLower(strings.SplitN(email, "@", 2)[0])) {
		return "error.password_is_email"
	}
	return ""
}

// Hash returns the argon2id hash of password in PHC format.
func (p *Passwords) Hash(password string) (string, error) {
	h, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return "", fmt.Errorf("account: hash password: %w", err)
	}
	return h, nil
}

// Verify reports whether password matches hash. An empty hash is compared
// against the dummy so that the time taken does not tell.
func (p *Passwords) Verify(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, p.dummy)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
