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
	actorPortal                // the portal itself (the assignment rules)
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
	// sample marks the events of the application's sample, whose detail
	// names the sample's id, known only once it is inserted.
	sample bool
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
	// claimed: the demo curator claimed the application (and is its
	// assignee); unclaimed ones were taken into review without a claim.
	claimed   bool
	decidedAt *time.Time
	events    []event
	rounds    []round
	// sample is the physical sample the curator asked for, if any.
	sample *sample
}

// sample is a physical sample of one product: asked for, perhaps received,
// perhaps tested, as curation.RequestSample and RecordSample write it.
type sample struct {
	product            string
	note               string
	requested          time.Time
	received, tested   *time.Time
	result, resultNote string // result: "", pass, fail
}

func (p *path) add(action string, from, to supplier.Status, who actor, at time.Time, reason, detail string) {
	p.version++
	p.events = append(p.events, event{action: action, from: from, to: to, version: p.version, actor: who,
		reason: reason, detail: detail, at: at})
}

// note appends an event that changes no status (a claim, an assignment, a
// sample): it keeps the application's version, as curation's events do.
func (p *path) note(action string, who actor, at time.Time, reason, detail string) {
	p.events = append(p.events, event{action: action, version: p.version, actor: who, reason: reason, detail: detail, at: at})
}

// assignedAfter is how long the portal's worker takes to apply the
// assignment rules to a new submission.
const assignedAfter = time.Minute

func (p *path) submit(at time.Time) {
	from, action := supplier.StatusDraft, "application.submitted"
	if len(p.submitted) > 0 {
		from, action = supplier.StatusRevisionRequested, "application.resubmitted"
	}
	p.submitted = append(p.submitted, at)
	p.add(action, from, supplier.StatusSubmitted, actorOwner, at, "", fmt.Sprintf(`{"submission": %d}`, len(p.submitted)))
	if len(p.submitted) == 1 {
		// The assignment rule sends every new application to the demo
		// curation partner (the inserter fills in its id).
		p.note("application.assigned", actorPortal, at.Add(assignedAfter), "", "")
	}
}

// startReview takes the application into review: with a claim, the curator
// becomes its assignee in the same instant (curation.Claim); without, the
// review starts unassigned (supplier.StartReview).
func (p *path) startReview(at time.Time, claim bool) {
	if claim {
		p.note("application.claimed", actorCurator, at, "", "{}")
		p.claimed = true
	}
	p.add("application.review_started", supplier.StatusSubmitted, supplier.StatusInReview, actorCurator, at, "", "{}")
	p.reviewed = true
}

// askSample records a sample asked for at t (received and tested as the
// flags say) and returns when the last step happened.
func (p *path) askSample(r *rand.Rand, t time.Time, product string, received, tested bool, result string) time.Time {
	sm := &sample{product: product, requested: byCurator(r, t, 0.5, 6),
		note: fmt.Sprintf(pick(r, sampleNotes), productNames[product])}
	p.sample = sm
	p.note("application.sample_requested", actorCurator, sm.requested, sm.note, "")
	p.events[len(p.events)-1].sample = true
	t = sm.requested
	if !received {
		return t
	}
	rec := byCurator(r, t, 24, 96)
	sm.received = &rec
	p.note("application.sample_received", actorCurator, rec, "", "")
	p.events[len(p.events)-1].sample = true
	t = rec
	if !tested {
		return t
	}
	at := byCurator(r, t, 4, 48)
	sm.tested, sm.result = &at, result
	sm.resultNote = pick(r, sampleResults[result])
	p.note("application.sample_tested", actorCurator, at, sm.resultNote, "")
	p.events[len(p.events)-1].sample = true
	return at
}

var sampleNotes = []string{
	"Mohon kirim 5 sampel %s ke kantor Karya Nusantara untuk diperiksa.",
	"Kirimkan 3 sampel %s dari produksi terakhir beserta kemasannya.",
	"Sampel fisik %s diperlukan untuk mencocokkan foto dan klaim bahan.",
}

var sampleResults = map[string][]string{
	"pass": {"Sampel sesuai foto dan klaim bahan; jahitan rapi.", "Sampel sesuai spesifikasi yang diajukan."},
	"fail": {"Sampel tidak sesuai klaim: lapisan dan bahan berbeda dari foto.",
		"Sampel tidak lolos pemeriksaan: tidak memenuhi butir wajib standar."},
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

// casePlan is what a path needs to know of the application: its products,
// why it would be rejected, and which product's sample fails (-1: none).
type casePlan struct {
	products   []string
	reject     rejection
	failSample int
}

// buildPath walks an application started at t0 to its final status, with
// believable delays: owners work early and late, curators office hours,
// and the whole path ends before the story does (at end).
func buildPath(r *rand.Rand, final supplier.Status, t0 time.Time, cp casePlan, end time.Time) path {
	p := path{status: final, createdAt: t0}
	p.add("application.created", "", supplier.StatusDraft, actorOwner, t0, "", "{}")
	if final != supplier.StatusDraft {
		p.walk(r, final, t0, cp)
	}
	p.fit(end)
	p.updatedAt = p.events[len(p.events)-1].at
	return p
}

func (p *path) walk(r *rand.Rand, final supplier.Status, t0 time.Time, cp casePlan) {
	// Curators claim what they take into review; a third of the
	// applications now in review were started without a claim and wait
	// for a lead to assign them.
	claim := final != supplier.StatusInReview || r.IntN(3) > 0
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
		p.startReview(t, claim)
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
	p.startReview(t, claim)
	if final == supplier.StatusInReview {
		// Some claimed applications wait for a sample.
		if claim && r.IntN(100) < 35 {
			received := r.IntN(100) < 60
			tested := received && r.IntN(2) == 0
			result := "pass"
			if r.IntN(4) == 0 {
				result = "fail"
			}
			p.askSample(r, t, pick(r, cp.products), received, tested, result)
		}
		return
	}
	if final != supplier.StatusRejected && (cp.failSample >= 0 || r.IntN(100) < 12) {
		// A sample checked before curating: a failed one keeps its
		// product out of the curation.
		j, result := cp.failSample, "fail"
		if j < 0 {
			j, result = r.IntN(len(cp.products)), "pass"
		}
		t = p.askSample(r, t, cp.products[j], true, true, result)
	}
	t = byCurator(r, t, 1, 36)
	decided := t
	p.decidedAt = &decided
	if final == supplier.StatusRejected {
		p.add("application.rejected", supplier.StatusInReview, supplier.StatusRejected, actorCurator, t, cp.reject.reason, "{}")
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

// fit moves a path that would end after the story (end) earlier by whole
// days, keeping its hours.
func (p *path) fit(end time.Time) {
	last := p.events[len(p.events)-1].at
	if !last.After(end) {
		return
	}
	days := int(last.Sub(end)/(24*time.Hour)) + 1
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
	if sm := p.sample; sm != nil {
		sm.requested = shift(sm.requested)
		for _, t := range []*time.Time{sm.received, sm.tested} {
			if t != nil {
				*t = shift(*t)
			}
		}
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

// rejection is why curators rejected an application: the reason they
// wrote, and the gate that failed with it, in the general checklist or in
// the checklist of the application's first product, with any weighted
// items that failed too.
type rejection struct {
	reason  string
	general bool
	gate    string
	also    []string
}

// generalRejections concern the applicant, whatever it makes.
var generalRejections = []rejection{
	{reason: "Data usaha tidak dapat diverifikasi: NIB tidak ditemukan di OSS.", general: true, gate: "nib_valid"},
	{reason: "NPWP tidak terdaftar atas nama usaha maupun pemiliknya.", general: true, gate: "npwp_valid"},
	{reason: "Foto sampel diambil dari katalog dan kapasitas produksi tidak dapat dibuktikan saat verifikasi lapangan.",
		general: true, gate: "sample_photo_dated", also: []string{"capacity_credible"}},
}

var sanitizerRejections = []rejection{
	{reason: "Kadar alkohol hand sanitizer di bawah 60%.", gate: "alcohol_content"},
	{reason: "Formula tidak mencantumkan kadar etanol; hasil uji laboratorium tidak dilampirkan.", gate: "alcohol_content",
		also: []string{"who_formulation", "batch_alcohol_check"}},
	{reason: "Hasil uji laboratorium menemukan metanol; produk tidak aman.", gate: "no_methanol"},
}

// productRejections are the curators' reasons to reject, by the product
// checked, each with the gate of that product's checklist it failed.
var productRejections = map[string][]rejection{
	"masker-kain": {
		{reason: "Sampel masker hanya satu lapis; tidak memenuhi anjuran minimal tiga lapis.", gate: "three_layers"},
		{reason: "Bahan masker tidak sesuai (kain scuba/buff satu lapis); tidak direkomendasikan.", gate: "three_layers",
			also: []string{"middle_layer_nonwoven"}},
		{reason: "Masker terlalu kecil: tidak menutup hidung sampai dagu.", gate: "fit_nose_to_chin"},
	},
	"masker-bedah": {
		{reason: "Hasil uji efisiensi filtrasi bakteri (BFE) di bawah 98%.", gate: "bacterial_filtration_98"},
		{reason: "Masker hanya dua lapis tanpa lapisan meltblown.", gate: "three_ply_nonwoven"},
	},
	"coverall": {
		{reason: "Jahitan coverall tidak dilapisi; tidak tahan rembesan cairan.", gate: "fluid_virus_resistant",
			also: []string{"sealed_seams"}},
		{reason: "Bahan coverall kain katun biasa, bukan non-woven PP/PE; tidak memenuhi standar APD medis.", gate: "material_nonwoven"},
	},
	"gaun-isolasi": {
		{reason: "Hasil uji rembesan gaun tidak memenuhi level yang diklaim.", gate: "level_claimed",
			also: []string{"hydrostatic_pressure"}},
	},
	"apron":               {{reason: "Bahan apron tidak kedap air.", gate: "waterproof"}},
	"face-shield":         {{reason: "Visor mudah buram dan tidak menutup wajah sampai dagu.", gate: "forehead_to_chin", also: []string{"anti_fog"}}},
	"penutup-kepala":      {{reason: "Penutup kepala tidak menutup seluruh rambut.", gate: "covers_hair"}},
	"penutup-sepatu":      {{reason: "Penutup sepatu tidak menutup seluruh sepatu.", gate: "covers_shoe"}},
	"hand-sanitizer-gel":  sanitizerRejections,
	"hand-sanitizer-cair": sanitizerRejections,
}

// chooseRejection picks why an application of product would be rejected:
// one in four for the applicant, the others for the product.
func chooseRejection(r *rand.Rand, product string) rejection {
	if list := productRejections[product]; len(list) > 0 && r.IntN(4) > 0 {
		return pick(r, list)
	}
	return pick(r, generalRejections)
}
