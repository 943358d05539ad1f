package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"pasokan/internal/supplier"
)

// actor is who took a step of an application's path.
type actor int

const (
	actorOwner    actor = iota // the supplier's owner
	actorCurator               // the demo curator of Karya Nusantara
	actorMinistry              // the ministry's admin
)

// event is one entry of application_events.
type event struct {
	action   string
	from, to supplier.Status
	version  int
	actor    actor
	reason   string
	detail   string // JSON
	at       time.Time
}

// round is a revision the curators asked for after submission
// `submission`: when, how many things to fix, what (chosen by the
// generator), and when the supplier resubmitted (nil while it is open).
type round struct {
	submission int
	at         time.Time
	nFlaws     int
	flaws      []flaw
	fixedAt    *time.Time
}

// path is an application's way through the state machine, with the
// figures the applications row keeps.
type path struct {
	status               supplier.Status
	version              int
	createdAt, updatedAt time.Time
	submitted            []time.Time // one per submission
	reviewed             bool
	decidedAt            *time.Time
	events               []event
	rounds               []round
}

func (p *path) add(action string, from, to supplier.Status, who actor, at time.Time, reason, detail string) {
	p.version++
	p.events = append(p.events, event{action: action, from: from, to: to, version: p.version, actor: who,
		reason: reason, detail: detail, at: at})
}

func (p *path) submit(at time.Time) {
	from, action := supplier.StatusDraft, "application.submitted"
	if len(p.submitted) > 0 {
		from, action = supplier.StatusRevisionRequested, "application.resubmitted"
	}
	p.submitted = append(p.submitted, at)
	p.add(action, from, supplier.StatusSubmitted, actorOwner, at, "", fmt.Sprintf(`{"submission": %d}`, len(p.submitted)))
}

// revisionChance is the percent of applications of a final status that
// went back to the supplier once on their way.
var revisionChance = map[supplier.Status]int{
	supplier.StatusCurated:   25,
	supplier.StatusSuspended: 30,
	supplier.StatusRejected:  40,
	supplier.StatusInReview:  20,
	supplier.StatusSubmitted: 15,
}

var revisionReasons = []string{
	"Mohon perbaiki data sesuai catatan kurator.",
	"Beberapa data perlu dilengkapi sebelum kurasi dilanjutkan.",
	"Ada ketidaksesuaian data; lihat catatan pada tiap isian.",
}

var suspensionReasons = []string{
	"Keluhan pembeli: jahitan lepas pada pengiriman pertama; kurasi ditangguhkan sampai uji ulang.",
	"Sampel acak dari pengiriman tidak sama dengan sampel kurasi.",
	"Pengiriman terlambat dua kali tanpa pemberitahuan; menunggu klarifikasi pemasok.",
}

// buildPath walks an application started at t0 to its final status, with
// believable delays: owners work early and late, curators office hours,
// and the whole path ends before the story does.
func buildPath(r *rand.Rand, final supplier.Status, t0 time.Time, rejectReason string) path {
	p := path{status: final, createdAt: t0}
	p.add("application.created", "", supplier.StatusDraft, actorOwner, t0, "", "{}")
	if final != supplier.StatusDraft {
		p.walk(r, final, t0, rejectReason)
	}
	p.fit()
	p.updatedAt = p.events[len(p.events)-1].at
	return p
}

func (p *path) walk(r *rand.Rand, final supplier.Status, t0 time.Time, rejectReason string) {
	rounds := 0
	if final == supplier.StatusRevisionRequested {
		rounds = 1
		if r.IntN(100) < 15 {
			rounds = 2
		}
	} else if r.IntN(100) < revisionChance[final] {
		rounds = 1
	}
	t := byOwner(r, t0, 3, 96)
	p.submit(t)
	for k := 1; k <= rounds; k++ {
		t = byCurator(r, t, 2, 48)
		p.add("application.review_started", supplier.StatusSubmitted, supplier.StatusInReview, actorCurator, t, "", "{}")
		p.reviewed = true
		t = byCurator(r, t, 1, 24)
		nf := 1
		if r.IntN(10) < 3 {
			nf = 2
		}
		p.add("application.revision_requested", supplier.StatusInReview, supplier.StatusRevisionRequested, actorCurator, t,
			pick(r, revisionReasons), fmt.Sprintf(`{"flags": %d}`, nf))
		rd := round{submission: k, at: t, nFlaws: nf}
		if final == supplier.StatusRevisionRequested && k == rounds {
			p.rounds = append(p.rounds, rd)
			return
		}
		t = byOwner(r, t, 6, 72)
		fixed := t
		rd.fixedAt = &fixed
		p.rounds = append(p.rounds, rd)
		p.submit(t)
	}
	if final == supplier.StatusSubmitted {
		return
	}
	t = byCurator(r, t, 2, 48)
	p.add("application.review_started", supplier.StatusSubmitted, supplier.StatusInReview, actorCurator, t, "", "{}")
	p.reviewed = true
	if final == supplier.StatusInReview {
		return
	}
	t = byCurator(r, t, 1, 36)
	decided := t
	p.decidedAt = &decided
	if final == supplier.StatusRejected {
		p.add("application.rejected", supplier.StatusInReview, supplier.StatusRejected, actorCurator, t, rejectReason, "{}")
		return
	}
	p.add("application.curated", supplier.StatusInReview, supplier.StatusCurated, actorCurator, t,
		"Memenuhi kriteria kurasi tahap awal.", "{}")
	if final == supplier.StatusSuspended {
		t = later(r, t, 6*24, 20*24, 8, 18)
		p.add("application.suspended", supplier.StatusCurated, supplier.StatusSuspended, actorMinistry, t,
			pick(r, suspensionReasons), "{}")
	}
}

// fit moves a path that would end after the story earlier by whole days,
// keeping its hours.
func (p *path) fit() {
	last := p.events[len(p.events)-1].at
	if !last.After(storyEnd) {
		return
	}
	days := int(last.Sub(storyEnd)/(24*time.Hour)) + 1
	shift := func(t time.Time) time.Time { return t.AddDate(0, 0, -days) }
	p.createdAt = shift(p.createdAt)
	for i := range p.events {
		p.events[i].at = shift(p.events[i].at)
	}
	for i := range p.submitted {
		p.submitted[i] = shift(p.submitted[i])
	}
	for i := range p.rounds {
		p.rounds[i].at = shift(p.rounds[i].at)
		if f := p.rounds[i].fixedAt; f != nil {
			s := shift(*f)
			p.rounds[i].fixedAt = &s
		}
	}
	if p.decidedAt != nil {
		d := shift(*p.decidedAt)
		p.decidedAt = &d
	}
}

// flaw is something curators sent back: the flag they wrote, and what was
// wrong in the data until the supplier fixed it.
type flaw struct {
	what                string // address, workforce, capacity, price, permit, photo
	target, key, reason string
	product             int // index of the product concerned
}

var flawReasons = map[string][]string{
	"address": {"Alamat produksi kurang lengkap: sertakan nomor, RT/RW dan kecamatan.",
		"Alamat tidak cukup untuk kunjungan verifikasi; lengkapi alamat tempat produksi."},
	"workforce": {"Jumlah tenaga kerja tidak sebanding dengan kapasitas produksi yang dinyatakan.",
		"Mohon periksa jumlah tenaga kerja: terlalu sedikit untuk kapasitas yang diajukan."},
	"capacity": {"Kapasitas bulanan terlalu tinggi untuk jumlah tenaga kerja dan mesin; mohon sesuaikan.",
		"Kapasitas tidak realistis dibanding peralatan yang dimiliki."},
	"price": {"Harga jauh di atas harga acuan program; mohon tinjau kembali.",
		"Rentang harga terlalu tinggi untuk pengadaan program; sertakan rincian biaya bila perlu."},
	"permit": {"Cantumkan nomor izin edar Kemenkes dan unggah dokumennya.",
		"Produk ini wajib izin edar; lengkapi nomor izin edar."},
	"photo": {"Foto produk kurang jelas; unggah foto yang memperlihatkan lapisan dan jahitan.",
		"Foto tampak diambil dari katalog; unggah foto hasil produksi sendiri."},
}

// rejectReasons are the curators' reasons to reject, by product category.
var rejectReasons = map[string][]string{
	"kain": {"Sampel masker hanya satu lapis; tidak memenuhi anjuran minimal tiga lapis.",
		"Bahan masker tidak sesuai (kain scuba/buff); tidak direkomendasikan.",
		"Kapasitas produksi tidak dapat dibuktikan saat verifikasi lapangan."},
	"apd": {"Hasil uji rembesan gaun tidak memenuhi syarat.",
		"Jahitan coverall tidak dilapisi; tidak memenuhi standar APD medis.",
		"Data usaha tidak dapat diverifikasi: NIB tidak ditemukan di OSS."},
	"hand_sanitizer": {"Kadar alkohol hand sanitizer di bawah 60%.",
		"Formula tidak mencantumkan kadar etanol; hasil uji laboratorium tidak dilampirkan."},
}
