package account_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// smallThrottle is the portal's throttle with ceilings low enough to reach
// in a test: pair 5, account 12, address 12, sign-up 3.
func smallThrottle(b bundle) *account.Throttle {
	t := account.NewThrottle(b.db.App)
	t.Account.Limit, t.Address.Limit, t.SignUp.Limit = 12, 12, 3
	return t
}

func setupSmall(t *testing.T, pw *account.Passwords) bundle {
	t.Helper()
	b := setup(t)
	if pw == nil {
		pw = passwords(t)
	}
	b.store = account.NewStore(b.db.App, pw, smallThrottle(b), notify.NewOutbox(b.db.App), "http://pasokan.test")
	return b
}

func wantThrottled(t *testing.T, what string, err error) {
	t.Helper()
	var te *account.ThrottledError
	if !errors.As(err, &te) || te.Wait <= 0 {
		t.Errorf("%s: %v, want throttled", what, err)
	}
}

func TestOwnerLogsInWhileAnAttackerHammersTheAccount(t *testing.T) {
	t.Parallel()
	b := setupSmall(t, nil)
	ctx := context.Background()
	register(t, b, "siti@contoh.id", "Konveksi")
	// Siti logged in once from her phone at home.
	if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "192.0.2.10", "ponsel-siti")); err != nil {
		t.Fatal(err)
	}
	// An attacker guesses from many addresses until each is blocked and the
	// account's ceiling for strangers is reached.
	blocked := 0
	for i := range 6 {
		addr := fmt.Sprintf("198.51.100.%d", i+1)
		for range 6 {
			_, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", "tebak tebak", addr, ""))
			var te *account.ThrottledError
			if errors.As(err, &te) {
				blocked++
			} else if !errors.Is(err, account.ErrBadCredentials) {
				t.Fatalf("guess from %s: %v", addr, err)
			}
		}
	}
	if blocked == 0 {
		t.Fatal("the attacker was never throttled")
	}
	// A stranger's device from a new address now waits, even with the right
	// password: the account's ceiling for strangers is reached.
	wantThrottled(t, "new device, new address", func() error {
		_, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "203.0.113.77", "perangkat-baru"))
		return err
	}())
	// Siti's phone gets in from a new address (a carrier NAT, a café).
	if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "203.0.113.9", "ponsel-siti")); err != nil {
		t.Errorf("owner's known device from a new address: %v", err)
	}
	// So does any browser at her known address.
	if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "192.0.2.10", "")); err != nil {
		t.Errorf("owner's known address: %v", err)
	}
}

func TestOneAddressBlocksStrangersNotKnownAccounts(t *testing.T) {
	t.Parallel()
	b := setupSmall(t, nil)
	ctx := context.Background()
	register(t, b, "budi@contoh.id", "Koperasi")
	register(t, b, "ani@contoh.id", "Jahit")
	nat := "192.0.2.50"
	// Budi has logged in from behind the carrier's NAT before.
	if _, err := b.store.Authenticate(ctx, attempt("budi@contoh.id", goodPassword, nat, "")); err != nil {
		t.Fatal(err)
	}
	// Someone behind the same NAT sprays guesses at many accounts.
	for i := range 12 {
		email := fmt.Sprintf("tebak%d@contoh.id", i)
		if _, err := b.store.Authenticate(ctx, attempt(email, "salah sekali", nat, "")); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	wantThrottled(t, "13th account from the address", func() error {
		_, err := b.store.Authenticate(ctx, attempt("tebak99@contoh.id", "salah sekali", nat, ""))
		return err
	}())
	// Budi, known there, still gets in; Ani, new there, waits; Ani from
	// elsewhere gets in.
	if _, err := b.store.Authenticate(ctx, attempt("budi@contoh.id", goodPassword, nat, "")); err != nil {
		t.Errorf("known account behind the NAT: %v", err)
	}
	wantThrottled(t, "new account behind the NAT", func() error {
		_, err := b.store.Authenticate(ctx, attempt("ani@contoh.id", goodPassword, nat, ""))
		return err
	}())
	if _, err := b.store.Authenticate(ctx, attempt("ani@contoh.id", goodPassword, "192.0.2.51", "")); err != nil {
		t.Errorf("other address: %v", err)
	}
}

func TestPairLimitAndBlockThatGrows(t *testing.T) {
	t.Parallel()
	b := setupSmall(t, nil)
	ctx := context.Background()
	register(t, b, "siti@contoh.id", "Konveksi")
	for i := range 5 {
		if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", "salah sekali", "198.51.100.1", "")); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "198.51.100.1", ""))
	var te *account.ThrottledError
	if !errors.As(err, &te) || te.Wait > time.Minute+time.Second {
		t.Fatalf("sixth attempt: %v, want a block of about a minute", err)
	}
	// The same account from another address is not blocked by the pair.
	if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "198.51.100.2", "")); err != nil {
		t.Errorf("other address: %v", err)
	}
}

// TestParallelGuessesReachTheHasherAtMostFiveTimes: the attempt is reserved
// under a row lock before hashing, so forty parallel guesses on one account
// from one address hash at most the pair limit of five.
func TestParallelGuessesReachTheHasherAtMostFiveTimes(t *testing.T) {
	t.Parallel()
	pw, err := account.NewPasswords()
	dbtest.Must(t, err)
	pw.SetLimits(4, 64, time.Minute)
	b := setupSmall(t, pw)
	register(t, b, "siti@contoh.id", "Konveksi")
	before := pw.Stats().Hashes
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for range 40 {
		wg.Go(func() {
			_, err := b.store.Authenticate(context.Background(), attempt("siti@contoh.id", "tebak paralel", "198.51.100.7", ""))
			var te *account.ThrottledError
			key := "other: " + fmt.Sprint(err)
			switch {
			case errors.Is(err, account.ErrBadCredentials):
				key = "bad"
			case errors.As(err, &te):
				key = "throttled"
			}
			mu.Lock()
			counts[key]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if hashed := pw.Stats().Hashes - before; hashed > 5 {
		t.Errorf("%d guesses reached the hasher, want at most 5", hashed)
	}
	if counts["bad"] != 5 || counts["throttled"] != 35 {
		t.Errorf("answers %v, want 5 bad and 35 throttled", counts)
	}
}

func TestSignUpThrottleCountsFailuresPerAddress(t *testing.T) {
	t.Parallel()
	b := setupSmall(t, nil)
	ctx := context.Background()
	reg := func(email, addr string) error {
		_, _, err := b.store.Register(ctx, account.Registration{Name: "Siti", Email: email, Password: goodPassword,
			OrganizationName: "Usaha " + email, Addr: addr})
		return err
	}
	// Successful sign-ups from one address (a carrier NAT) do not count.
	for i := range 5 {
		if err := reg(fmt.Sprintf("umkm%d@contoh.id", i), "192.0.2.9"); err != nil {
			t.Fatalf("sign-up %d: %v", i+1, err)
		}
	}
	// Testing taken addresses does: three answers, then a wait.
	for i := range 3 {
		var verrs validation.Errors
		if err := reg(fmt.Sprintf("umkm%d@contoh.id", i), "192.0.2.9"); !errors.As(err, &verrs) || verrs["email"] != "error.email_taken" {
			t.Fatalf("taken address %d: %v", i+1, err)
		}
	}
	wantThrottled(t, "fourth taken address", reg("umkm3@contoh.id", "192.0.2.9"))
	// Another address signs up.
	if err := reg("baru@contoh.id", "192.0.2.10"); err != nil {
		t.Errorf("other address: %v", err)
	}
}

func TestPasswordChangeIsNoGuessingOracle(t *testing.T) {
	t.Parallel()
	b := setupSmall(t, nil)
	ctx := context.Background()
	u, o := register(t, b, "siti@contoh.id", "Konveksi")
	a, err := b.store.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	for i := range 4 {
		_, err := b.store.ChangePassword(ctx, a, "tebak tebak", "kata sandi baru sekali", "198.51.100.3")
		var verrs validation.Errors
		if !errors.As(err, &verrs) || verrs["current_password"] != "error.password_wrong" {
			t.Fatalf("wrong current password %d: %v", i+1, err)
		}
	}
	// The fifth failure ends it: the caller ends the session.
	wantThrottled(t, "fifth wrong current password", func() error {
		_, err := b.store.ChangePassword(ctx, a, "tebak tebak", "kata sandi baru sekali", "198.51.100.3")
		return err
	}())
	// Even the right one now waits, so a stolen cookie cannot finish the job.
	wantThrottled(t, "right password after the limit", func() error {
		_, err := b.store.ChangePassword(ctx, a, goodPassword, "kata sandi baru sekali", "198.51.100.3")
		return err
	}())
	// The password did not change.
	if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", goodPassword, "192.0.2.1", "")); err != nil {
		t.Errorf("the old password no longer works: %v", err)
	}
}
