package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/region"
	"pasokan/internal/supplier"
)

// supplierData is one supplier of the story with everything to insert.
type supplierData struct {
	index int
	// orgID and userID are set beforehand for the demo supplier, whose
	// organisation and owner come with the demo accounts.
	orgID, userID, appID int64
	email, owner         string
	name, slug           string
	registered           time.Time
	profile              supplier.Profile
	products             []supplier.Product
	productAt            time.Time
	docs                 []document
	path                 path
	// snapshots holds what was submitted each time.
	snapshots []snapshot
	// rejection is why it would be rejected.
	rejection rejection
	// reviews are the curators' checklists of every decision; curation
	// holds the outcome per product type of a curation; cert the
	// certificate it earned.
	reviews  []review
	curation map[string]string
	cert     *certificate
}

type snapshot struct {
	at       time.Time
	profile  supplier.Profile
	products []supplier.Product
}

// generator makes up the suppliers of a plan, one after the other, from
// one seeded random source: the same plan gives the same suppliers.
type generator struct {
	r *rand.Rand
	// cr draws the curators' answers and the certificate codes.
	cr        *rand.Rand
	lists     *checklists
	cal       calendar
	codes     map[string]bool
	plan      plan
	regencies *regencyPicker
	ids       *identifiers
	slugs     map[string]bool
	// sources keeps what the first of a duplicate pair shares.
	sources map[int]source
}

type source struct {
	nib, phone string
	photo      []byte
}

func newGenerator(p plan, regions *region.Catalog, lists *checklists, cal calendar) *generator {
	g := &generator{r: rand.New(rand.NewPCG(2020, 4)), cr: rand.New(rand.NewPCG(2020, 5)), lists: lists, cal: cal, codes: map[string]bool{},
		plan: p, regencies: newRegencyPicker(regions), ids: newIdentifiers(), slugs: map[string]bool{}, sources: map[int]source{}}
	for _, a := range Accounts {
		g.slugs[account.Slugify(a.Org)] = true
	}
	g.slugs[account.Slugify(secondBuyer)] = true
	return g
}

// slug makes a unique slug: the name's, then with the town, then with the
// supplier's number.
func (g *generator) slug(name, place string, i int) string {
	base := account.Slugify(name)
	for _, s := range []string{base, base + "-" + account.Slugify(place), fmt.Sprintf("%s-%s-%d", base, account.Slugify(place), i)} {
		if len(s) <= 80 && !g.slugs[s] {
			g.slugs[s] = true
			return s
		}
	}
	s := fmt.Sprintf("%s-%d", base, i)
	g.slugs[s] = true
	return s
}

var kindWeights = func() []int {
	w := make([]int, len(kinds))
	for i, k := range kinds {
		w[i] = k.weight
	}
	return w
}()

var sizeClasses = [3]string{"mikro", "kecil", "menengah"}

// supplier makes up supplier i of the plan.
func (g *generator) supplier(i int) *supplierData {
	r := g.r
	status, prov := g.plan.status[i], g.plan.province[i]
	rg := g.regencies.pick(r, prov)
	k := kinds[weighted(r, kindWeights)]
	form := legalForms[weighted(r, k.forms[:])]
	w := sizeByForm[form]
	size := sizeClasses[weighted(r, w[:])]
	owner := ownerName(r, prov)
	name, legal := businessName(r, k, form, placeName(rg.Name), owner)
	staff := workforce(r, size)
	tr := pick(r, k.trades)
	s := &supplierData{index: i, email: fmt.Sprintf("umkm%03d@pasokan.test", i), owner: owner, name: name,
		slug: g.slug(name, placeName(rg.Name), i)}
	s.profile = supplier.Profile{
		LegalName: legal, TradingName: tradingName(name, legal), LegalForm: form, SizeClass: size,
		NIB: g.ids.newNIB(r), NPWP: g.ids.newNPWP(r, form, prov), KBLI: tr.kbli, KBLIEdition: "2017",
		OriginalSector: tr.sector, ProvinceCode: prov, RegencyCode: rg.Code,
		Address: address(r, rg.Name), Phone: g.ids.newPhone(r), Workforce: staff, Equipment: k.equipment(r, staff),
	}
	if c, ok := g.plan.copies[i]; ok {
		src := g.sources[c.a]
		switch c.kind {
		case "nib":
			s.profile.NIB = src.nib
		case "phone":
			s.profile.Phone = src.phone
		}
	}
	var chosen []string
	for _, o := range k.offers {
		if len(chosen) < 3 && r.IntN(100) < o.chance {
			chosen = append(chosen, o.code)
		}
	}
	if len(chosen) == 0 {
		chosen = append(chosen, k.offers[0].code)
	}
	shareOfTime := 1.0
	if len(chosen) > 1 {
		shareOfTime = 0.6 + 0.3*r.Float64()
	}
	for _, code := range chosen {
		s.products = append(s.products, product(r, code, staff, shareOfTime))
	}

	win := g.cal.window(status)
	t0 := later(r, within(r, win[0], win[1]), 0, 0, 6, 22)
	cp := casePlan{products: chosen, reject: chooseRejection(r, chosen[0]), failSample: -1}
	if status == supplier.StatusCurated || status == supplier.StatusSuspended {
		cp.failSample = g.papers(r, s, t0)
	}
	s.rejection = cp.reject
	s.path = buildPath(r, status, t0, cp, g.cal.end())
	// Registered a little before starting the application (fit may have
	// moved the path).
	s.productAt = s.path.createdAt
	s.registered = s.productAt.Add(-time.Duration(r.Int64N(int64(30 * time.Hour))))
	g.finish(s, r)
	return s
}

// tradingName is the name without its legal prefix, when it has one.
func tradingName(name, legal string) string {
	for _, p := range []string{"CV ", "PT ", "UD "} {
		if t, ok := strings.CutPrefix(legal, p); ok {
			return t
		}
	}
	if name != legal {
		return name
	}
	return ""
}

// papers readies a supplier the curators will curate: every product whose
// checklist asks for a permit number holds one, except that a few
// suppliers of several products see one of them (not the first) left out
// of the curation, for want of its permit or because its sample fails. It
// returns the product whose sample fails, or -1.
func (g *generator) papers(r *rand.Rand, s *supplierData, on time.Time) int {
	partial := -1
	if len(s.products) > 1 && r.IntN(100) < 15 {
		partial = 1 + r.IntN(len(s.products)-1)
	}
	failSample := partial
	for j := range s.products {
		pr := &s.products[j]
		sp := specs[pr.Type]
		if pr.PermitNumber != "" || sp.permitKind == "" || g.lists.get(pr.Type, on).permitGate == "" {
			continue
		}
		if j == partial {
			failSample = -1 // left out for want of its permit
			continue
		}
		pr.PermitNumber = permit(r, sp.permitKind, sp.permitPrefix)
	}
	return failSample
}

// finish adds what depends on the path: the flaws of each revision, the
// documents, the snapshots, and a draft's gaps.
func (g *generator) finish(s *supplierData, r *rand.Rand) {
	p := &s.path
	good, goodProducts := s.profile, s.products
	_, paired := g.plan.copies[s.index]
	paired = paired || g.plan.sources[s.index]
	g.chooseFlaws(r, s, paired)

	// What the data looked like at submission k: every flaw of round k or
	// later still in it.
	at := func(k int) (supplier.Profile, []supplier.Product) {
		prof, prods := good, append([]supplier.Product(nil), goodProducts...)
		for _, rd := range p.rounds {
			if rd.submission >= k {
				for _, f := range rd.flaws {
					applyFlaw(&prof, prods, f)
				}
			}
		}
		return prof, prods
	}
	subs := len(p.submitted)
	if subs > 0 && p.status == supplier.StatusRevisionRequested {
		s.profile, s.products = at(subs)
	}
	for k := 1; k <= subs; k++ {
		prof, prods := at(k)
		prof.UpdatedAt = p.submitted[k-1].Add(-20 * time.Minute)
		s.snapshots = append(s.snapshots, snapshot{at: p.submitted[k-1], profile: prof, products: prods})
	}
	var firstSub time.Time
	if subs > 0 {
		s.profile.UpdatedAt, firstSub = p.submitted[subs-1].Add(-20*time.Minute), p.submitted[0]
	} else {
		// A draft was worked on for a while after it was started.
		p.updatedAt = byOwner(r, p.createdAt, 1, 120)
		if end := g.cal.end(); p.updatedAt.After(end) {
			p.updatedAt = end
		}
		s.profile.UpdatedAt, firstSub = p.updatedAt, p.updatedAt
	}
	g.documents(r, s, goodProducts, firstSub)
	if g.plan.sources[s.index] {
		g.sources[s.index] = source{nib: good.NIB, phone: good.Phone, photo: s.photo()}
	}
	g.curate(s)
	if subs == 0 {
		// Drafts are unfinished: some lack the NPWP, some the equipment.
		if r.IntN(10) < 3 {
			s.profile.NPWP = ""
		}
		if r.IntN(10) < 2 {
			s.profile.Equipment = ""
		}
	}
}

// photo returns the bytes of the supplier's current photo, if any.
func (s *supplierData) photo() []byte {
	for _, d := range s.docs {
		if d.kind == "photo" && d.removedAt == nil {
			return d.data
		}
	}
	return nil
}

// documents adds the files: before the first submission (or while
// drafting) an NIB printout and a photo, and a permit for each product
// holding one; a photo or permit asked for in a revision comes with the
// resubmission.
func (g *generator) documents(r *rand.Rand, s *supplierData, goodProducts []supplier.Product, firstSub time.Time) {
	p := &s.path
	draft := len(p.submitted) == 0
	uploaded := func() time.Time { return within(r, p.createdAt, firstSub.Add(time.Minute)) }
	if !draft || r.IntN(2) == 0 {
		d := newDocument("nib", "NIB-"+truncate(s.slug, 60)+".pdf", "application/pdf",
			nibPDF(s.profile.NIB, s.profile.LegalName, s.profile.Address, s.profile.KBLI, s.registered.AddDate(0, -between(r, 3, 30), 0)))
		d.createdAt, d.firstSub = uploaded(), 1
		s.docs = append(s.docs, d)
	}
	if !draft || r.IntN(3) == 0 {
		data := photoPNG(r, s.products[0].Type, uint64(s.index)<<8|1)
		if c, ok := g.plan.copies[s.index]; ok && c.kind == "document" {
			data = g.sources[c.a].photo
		}
		photo := g.photo(r, s, data, uploaded())
		for _, rd := range p.rounds {
			for _, f := range rd.flaws {
				if f.what == "photo" && rd.fixedAt != nil {
					// The unclear photo, replaced when the supplier resubmitted.
					old := photo
					old.removedAt, old.lastSub = rd.fixedAt, rd.submission
					s.docs = append(s.docs, old)
					photo = g.photo(r, s, photoPNG(r, s.products[0].Type, uint64(s.index)<<8|2), rd.fixedAt.Add(-time.Hour))
					photo.firstSub = rd.submission + 1
				}
			}
		}
		s.docs = append(s.docs, photo)
	}
	if !draft {
		for j, pr := range goodProducts {
			if pr.PermitNumber == "" {
				continue
			}
			d := newDocument("permit", "izin-edar-"+pr.Type+".pdf", "application/pdf",
				permitPDF(pr.PermitNumber, productNames[pr.Type], s.profile.LegalName, s.registered.AddDate(0, -between(r, 1, 12), 0)))
			d.productType, d.createdAt, d.firstSub = pr.Type, uploaded(), 1
			if s.products[j].PermitNumber == "" {
				continue // still missing: the open revision asks for it
			}
			for _, rd := range p.rounds {
				for _, f := range rd.flaws {
					if f.what == "permit" && f.product == j && rd.fixedAt != nil {
						d.createdAt, d.firstSub = rd.fixedAt.Add(-time.Hour), rd.submission+1
					}
				}
			}
			s.docs = append(s.docs, d)
		}
	}
}

func (g *generator) photo(r *rand.Rand, s *supplierData, data []byte, at time.Time) document {
	d := newDocument("photo", "foto-"+s.products[0].Type+".png", "image/png", data)
	d.width, d.height, d.createdAt, d.firstSub = photoW, photoH, at, 1
	d.productType = s.products[0].Type
	taken := at.AddDate(0, 0, -between(r, 0, 3))
	day := time.Date(taken.Year(), taken.Month(), taken.Day(), 0, 0, 0, 0, time.UTC)
	d.takenOn = &day
	return d
}

func truncate(s string, n int) string {
	if len(s) > n {
		return strings.TrimRight(s[:n], "-")
	}
	return s
}

// chooseFlaws gives each revision round its flaws, none twice.
func (g *generator) chooseFlaws(r *rand.Rand, s *supplierData, paired bool) {
	if len(s.path.rounds) == 0 {
		return
	}
	options := []string{"address", "capacity", "price"}
	if s.profile.Workforce >= 12 {
		options = append(options, "workforce")
	}
	if !paired {
		options = append(options, "photo") // pairs keep the photo they share
	}
	permitAt := -1
	for j, pr := range s.products {
		if pr.PermitNumber != "" {
			permitAt = j
		}
	}
	if permitAt >= 0 {
		options = append(options, "permit")
	}
	r.Shuffle(len(options), func(i, j int) { options[i], options[j] = options[j], options[i] })
	for i := range s.path.rounds {
		rd := &s.path.rounds[i]
		for range rd.nFlaws {
			if len(options) == 0 {
				break
			}
			what := options[0]
			options = options[1:]
			f := flaw{what: what, reason: pick(r, flawReasons[what]), product: r.IntN(len(s.products))}
			switch what {
			case "address", "workforce":
				f.target, f.key = "field", what
			case "photo":
				f.target, f.key = "document", "photo"
			case "permit":
				f.product = permitAt
				fallthrough
			default:
				f.target, f.key = "product", s.products[f.product].Type
			}
			rd.flaws = append(rd.flaws, f)
		}
	}
}

// applyFlaw puts flaw f back into a profile and its products: what the
// data was before the supplier fixed it.
func applyFlaw(p *supplier.Profile, prods []supplier.Product, f flaw) {
	switch f.what {
	case "address":
		if i := strings.Index(p.Address, " No. "); i > 0 {
			p.Address = p.Address[:i] + ", " + placeName(p.Address[strings.LastIndex(p.Address, ", ")+2:])
		}
	case "workforce":
		p.Workforce = max(3, p.Workforce/4)
	case "capacity":
		prods[f.product].MonthlyCapacity = min(supplier.MaxMonthlyCapacity, roundCount(prods[f.product].MonthlyCapacity*4))
	case "price":
		prods[f.product].PriceMin = roundPrice(prods[f.product].PriceMin * 9 / 5)
		prods[f.product].PriceMax = roundPrice(prods[f.product].PriceMax * 11 / 5)
	case "permit":
		prods[f.product].PermitNumber = ""
	}
}

// demoSupplier is Konveksi Maju Jaya of umkm@pasokan.test in Kota Bandung:
// a complete profile and an application submitted on 26 May 2020 (moved
// into the present by the calendar, as the whole story), waiting for the
// curators, so that the supplier's journey has something to show.
func (g *generator) demoSupplier() *supplierData {
	r := g.r
	s := &supplierData{index: 0, email: "umkm@pasokan.test", owner: "Siti Rahmawati", name: "Konveksi Maju Jaya",
		slug: account.Slugify("Konveksi Maju Jaya")}
	s.profile = supplier.Profile{
		LegalName: "CV Maju Jaya", TradingName: "Konveksi Maju Jaya", LegalForm: "cv", SizeClass: "kecil",
		NIB: "9120301742086", NPWP: npwp("02415738", "423", r), KBLI: []string{"14111", "14120"}, KBLIEdition: "2017",
		OriginalSector: "Konveksi seragam sekolah dan kantor", ProvinceCode: "32", RegencyCode: "32.73",
		Address: "Jl. Cibadak No. 112, RT 04/RW 02, Kel. Cibadak, Kec. Astanaanyar, Kota Bandung",
		Phone:   "+6281322145678", Workforce: 18,
		Equipment: "14 mesin jahit high speed, 3 mesin obras, 1 mesin potong kain, 2 meja potong",
	}
	g.ids.nib[s.profile.NIB], g.ids.npwp[s.profile.NPWP], g.ids.phone[s.profile.Phone] = true, true, true
	s.products = []supplier.Product{
		{Type: "masker-kain", MonthlyCapacity: 36000, LeadTimeDays: 7, PriceMin: 3000, PriceMax: 4500,
			Materials: "Katun combed 30s, tiga lapis, tali telinga elastis", MaterialNeeds: "Kain katun 500 meter per bulan"},
		{Type: "gaun-isolasi", MonthlyCapacity: 2500, LeadTimeDays: 10, PriceMin: 45000, PriceMax: 65000,
			Materials: "Kain parasut polyester waterproof, manset rib", MaterialNeeds: "Kain parasut 1.000 meter per bulan"},
	}
	t0 := g.cal.at(time.Date(2020, time.May, 18, 10, 2, 0, 0, wib))
	s.registered, s.productAt = g.cal.at(demoSupplierJoin), t0
	s.path = path{status: supplier.StatusSubmitted, createdAt: t0}
	s.path.add("application.created", "", supplier.StatusDraft, actorOwner, t0, "", "{}")
	s.path.submit(g.cal.at(time.Date(2020, time.May, 26, 9, 14, 0, 0, wib)))
	s.path.updatedAt = s.path.submitted[0]
	g.finish(s, r)
	return s
}
