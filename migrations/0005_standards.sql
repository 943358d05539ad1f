-- Curation reference data: the standards curators check against and the
-- versioned checklists built from them, one general checklist for every
-- applicant (product_type NULL) and one per product type. A review of an
-- application uses the general checklist once and the product checklist
-- once per product, each in the version in force on the review's date.
--
-- Data only, loaded as the owner. These are public reference tables (no
-- row-level security); migration 0004 granted the server's role SELECT on
-- them. They change only with a new migration: a changed standard is a new
-- standards row and a new checklist version, and the old version gets an
-- in_force_until so the suppliers curated against it can be listed for
-- re-curation.
--
-- Conventions:
-- - standards.in_force_from / in_force_until are the dates the portal
--   curates against that standard version, not the date the issuer
--   published it (publication dates are in the comments where known).
--   Versions are named in the code: 'SNI 8914:2020', 'EN 166:2001'.
-- - An item is either a gate (must pass; weight 0; 'na' is not allowed) or
--   weighted (weight 1 to 5; 'na' allowed where the text says when).
-- - key is stable, snake_case and unique within its checklist; the
--   curator's form field is check_<key>. Never rename a key: reviews store
--   answers by key.
-- - clause is filled only where the clause number is known for certain;
--   otherwise it is empty.
-- - Texts are Bahasa Indonesia (text_id) first, English (text_en) second.

-- +goose Up

INSERT INTO standards (code, title_id, title_en, issuer, in_force_from, in_force_until) VALUES
    -- The portal's own criteria for every applicant. The NIB is the business
    -- identity number issued through OSS (in 2020 under PP 24/2018); the
    -- NPWP is the tax number (15 digits in 2020).
    ('PASOKAN-KURASI-UMUM-1',
     'Kriteria kurasi umum Pasokan, versi 1',
     'Pasokan general curation criteria, version 1',
     'Kementerian Koperasi dan UKM', '2020-04-01', NULL),

    -- WHO, "Advice on the use of masks in the context of COVID-19: interim
    -- guidance, 5 June 2020" (WHO/2019-nCoV/IPC_Masks/2020.4), the first WHO
    -- guidance to specify fabric masks: at least three layers, an inner
    -- hydrophilic layer (e.g. cotton), a middle hydrophobic synthetic
    -- non-woven layer (e.g. polypropylene), an outer hydrophobic layer;
    -- covering nose, mouth and chin; washed with soap or detergent and
    -- preferably hot water (at least 60 °C). The portal opened on 1 April
    -- 2020 and its cloth-mask checklist version 1 applied this advice as it
    -- stood, before WHO formalised it on 5 June 2020; SNI 8914:2020 replaced
    -- it for cloth masks on 16 September 2020.
    ('WHO/2019-nCoV/IPC_Masks/2020.4',
     'Anjuran penggunaan masker dalam konteks COVID-19: panduan interim WHO, 5 Juni 2020',
     'Advice on the use of masks in the context of COVID-19: WHO interim guidance, 5 June 2020',
     'World Health Organization (WHO)', '2020-04-01', '2020-09-16'),

    -- SNI 8914:2020 "Tekstil – Masker dari kain", set by BSN on 16 September
    -- 2020 (Keputusan Kepala BSN No. 408/KEP/BSN/9/2020), drafted by
    -- Kemenperin; voluntary. Clause 4 is classification (type A general use,
    -- type B bacterial filtration, type C particle filtration), clause 5 the
    -- quality requirements, clause 7 the test methods (air permeability per
    -- SNI 7648, absorbency per SNI 0279). Requirements as published by BSN:
    -- at least two layers for every type; type A air permeability 15–65
    -- cm³/cm²/s; absorbency ≤ 60 s; free formaldehyde ≤ 75 mg/kg; colour
    -- fastness to washing, acid and alkaline perspiration and saliva; no
    -- carcinogenic azo dyes; type B bacterial filtration efficiency ≥ 60 %,
    -- type C particle filtration efficiency ≥ 60 %, each with a
    -- differential-pressure limit; antibacterial activity, water repellency
    -- (spray test) and PFOS/PFOA limits when so finished. Marking on the
    -- package: brand, country of manufacture, fibre of each layer,
    -- antibacterial / water-repellent when so finished, "cuci sebelum
    -- dipakai", washing instructions, mask type.
    ('SNI 8914:2020',
     'Tekstil – Masker dari kain',
     'Textiles – Cloth masks',
     'Badan Standardisasi Nasional (BSN)', '2020-09-16', NULL),

    -- SNI 8488:2018 is the identical adoption of ASTM F2100-11: medical mask
    -- materials in levels 1 to 3 (bacterial filtration ≥ 95 % for level 1,
    -- ≥ 98 % for levels 2 and 3; synthetic blood penetration resistance at
    -- 80, 120 and 160 mmHg).
    ('SNI 8488:2018',
     'Spesifikasi standar untuk kinerja material yang digunakan dalam masker medis (ASTM F2100-11, IDT)',
     'Standard specification for performance of materials used in medical face masks (ASTM F2100-11, IDT)',
     'Badan Standardisasi Nasional (BSN)', '2020-04-01', NULL),

    -- EN 14683:2019+AC:2019, adopted identically by BSN as SNI EN
    -- 14683:2019+AC:2019. Type I: BFE ≥ 95 %; type II and IIR: BFE ≥ 98 %;
    -- differential pressure < 40 Pa/cm² (I, II) and < 60 Pa/cm² (IIR);
    -- splash resistance ≥ 16.0 kPa for IIR (ISO 22609); microbial
    -- cleanliness ≤ 30 cfu/g. Clause 5.1.2 design, 5.2.2 BFE, 5.2.3
    -- breathability, 5.2.4 splash resistance, 5.2.5 microbial cleanliness.
    ('EN 14683:2019+AC:2019',
     'Masker medis – Persyaratan dan metode uji',
     'Medical face masks – Requirements and test methods',
     'CEN (Komite Standardisasi Eropa)', '2020-04-01', NULL),

    -- The Ministry of Health's PPE standard for COVID-19, March/April 2020,
    -- for producers (Ditjen Kefarmasian dan Alat Kesehatan; its book is also
    -- circulated as "Standar Alat Pelindung Diri dalam Manajemen Penanganan
    -- COVID-19"). Per type of PPE it gives the use, the material and whether
    -- single use: e.g. surgical masks of non-woven SMS or SMMS with the
    -- inside and outside easy to tell apart; coveralls of non-woven synthetic
    -- fibre (polypropylene, polyethylene) resistant to penetration of fluids,
    -- blood and viruses, proven by an accredited laboratory, in a bright
    -- colour, covering the whole body including head, back and lower legs.
    -- Its exact publication date and section numbers are not recorded here.
    ('KEMENKES-APD-COVID19-2020',
     'Standar Alat Pelindung Diri (APD) untuk Penanganan COVID-19',
     'Personal Protective Equipment (PPE) Standard for the Handling of COVID-19',
     'Kementerian Kesehatan RI', '2020-04-01', NULL),

    -- The legal basis of the distribution permits (izin edar): AKD for a
    -- medical device made in Indonesia, PKD for a household health product
    -- (PKRT) made in Indonesia.
    ('Permenkes 62/2017',
     'Peraturan Menteri Kesehatan Nomor 62 Tahun 2017 tentang Izin Edar Alat Kesehatan, Alat Kesehatan Diagnostik In Vitro dan Perbekalan Kesehatan Rumah Tangga',
     'Minister of Health Regulation No. 62 of 2017 on Distribution Permits for Medical Devices, In Vitro Diagnostic Medical Devices and Household Health Supplies',
     'Kementerian Kesehatan RI', '2020-04-01', NULL),

    -- KN95: filtration ≥ 95 % (NaCl aerosol), inhalation resistance
    -- ≤ 350 Pa, exhalation resistance ≤ 250 Pa, total inward leakage tested
    -- on wearers. (GB 2626-2019 replaces it from 1 July 2021: a new checklist
    -- version then.)
    ('GB 2626-2006',
     'Alat pelindung pernapasan – Respirator pemurni udara partikel tanpa daya',
     'Respiratory protective equipment – Non-powered air-purifying particle respirator',
     'Standardization Administration of China (SAC)', '2020-04-01', NULL),

    -- N95: NIOSH approval (TC-84A number) under 42 CFR Part 84, filtration
    -- ≥ 95 % against a NaCl aerosol of about 0.3 µm (the most penetrating
    -- particle size).
    ('42 CFR 84',
     'Persetujuan alat pelindung pernapasan (NIOSH, 42 CFR Part 84)',
     'Approval of respiratory protective devices (NIOSH, 42 CFR Part 84)',
     'NIOSH (Amerika Serikat)', '2020-04-01', NULL),

    -- Protective clothing against infective agents; its tests: ISO 16603
    -- (synthetic blood), ISO 16604 (blood-borne pathogens, Phi-X174
    -- bacteriophage), ISO 22610 (wet bacterial penetration), ISO 22611
    -- (biologically contaminated aerosols), ISO 22612 (dry microbial
    -- penetration), each with performance classes.
    ('EN 14126:2003',
     'Pakaian pelindung – Persyaratan kinerja dan metode uji pakaian pelindung terhadap agen infektif',
     'Protective clothing – Performance requirements and tests methods for protective clothing against infective agents',
     'CEN (Komite Standardisasi Eropa)', '2020-04-01', NULL),

    -- Levels 1–4 in the critical zones: level 1 AATCC 42 impact
    -- penetration ≤ 4.5 g; level 2 AATCC 42 ≤ 1.0 g and AATCC 127
    -- hydrostatic pressure ≥ 20 cm; level 3 AATCC 42 ≤ 1.0 g and AATCC 127
    -- ≥ 50 cm; level 4 ASTM F1670 (synthetic blood) and ASTM F1671 (viral
    -- penetration) pass.
    ('AAMI PB70:2012',
     'Kinerja penghalang cairan dan klasifikasi pakaian pelindung dan drape untuk fasilitas pelayanan kesehatan',
     'Liquid barrier performance and classification of protective apparel and drapes intended for use in health care facilities',
     'AAMI / ANSI', '2020-04-01', NULL),

    -- Eye and face protection; marking S (increased robustness) or F (low
    -- energy impact) for impact, N for resistance to fogging.
    ('EN 166:2001',
     'Pelindung mata perorangan – Spesifikasi',
     'Personal eye-protection – Specifications',
     'CEN (Komite Standardisasi Eropa)', '2020-04-01', NULL),

    -- Eye and face protection; Z87+ marks high-impact rated devices. (The
    -- 2020 edition was published during 2020; the portal names the edition
    -- current when it opened.)
    ('ANSI/ISEA Z87.1-2015',
     'Alat pelindung mata dan wajah untuk pekerjaan dan pendidikan',
     'Occupational and Educational Personal Eye and Face Protection Devices',
     'ISEA / ANSI', '2020-04-01', NULL),

    -- Medical gloves for single use, part 1: freedom from holes (water
    -- leak test, AQL 1.5).
    ('EN 455-1:2000',
     'Sarung tangan medis sekali pakai – Bagian 1: Persyaratan dan pengujian bebas lubang',
     'Medical gloves for single use – Part 1: Requirements and testing for freedom from holes',
     'CEN (Komite Standardisasi Eropa)', '2020-04-01', NULL),

    -- Medical gloves for single use, part 2: dimensions and force at break.
    ('EN 455-2:2015',
     'Sarung tangan medis sekali pakai – Bagian 2: Persyaratan dan pengujian sifat fisik',
     'Medical gloves for single use – Part 2: Requirements and testing for physical properties',
     'CEN (Komite Standardisasi Eropa)', '2020-04-01', NULL),

    -- Nitrile examination gloves: dimensions, tensile strength and
    -- elongation before and after ageing, freedom from holes (ASTM D5151).
    ('ASTM D6319-19',
     'Spesifikasi standar sarung tangan pemeriksaan nitril untuk penggunaan medis',
     'Standard Specification for Nitrile Examination Gloves for Medical Application',
     'ASTM International', '2020-04-01', NULL),

    -- WHO, "Guide to Local Production: WHO-recommended Handrub
    -- Formulations", revised April 2010. Formulation 1: ethanol 80 % v/v,
    -- glycerol 1.45 % v/v, hydrogen peroxide 0.125 % v/v; formulation 2:
    -- isopropyl alcohol 75 % v/v, glycerol 1.45 % v/v, hydrogen peroxide
    -- 0.125 % v/v; only ethanol or isopropyl alcohol as the active alcohol;
    -- the alcohol concentration of each batch checked (alcoholometer); the
    -- product held in quarantine 72 hours before use, so that the hydrogen
    -- peroxide destroys any spores from the alcohol or the bottles; labels
    -- warning that the product is flammable and for external use, with the
    -- date of production and batch number.
    ('WHO Handrub Formulations (2010)',
     'Panduan produksi lokal: formula handrub yang direkomendasikan WHO (revisi April 2010)',
     'Guide to Local Production: WHO-recommended Handrub Formulations (revised April 2010)',
     'World Health Organization (WHO)', '2020-04-01', NULL);

-- The checklists. Version 1 of every checklist is in force from the day the
-- portal opened; the cloth mask changed standard on 16 September 2020.
INSERT INTO checklists (product_type, version, in_force_from, in_force_until) VALUES
    (NULL,                  1, '2020-04-01', NULL),
    ('masker-kain',         1, '2020-04-01', '2020-09-16'),
    ('masker-kain',         2, '2020-09-16', NULL),
    ('masker-bedah',        1, '2020-04-01', NULL),
    ('respirator',          1, '2020-04-01', NULL),
    ('coverall',            1, '2020-04-01', NULL),
    ('gaun-isolasi',        1, '2020-04-01', NULL),
    ('apron',               1, '2020-04-01', NULL),
    ('face-shield',         1, '2020-04-01', NULL),
    ('sarung-tangan',       1, '2020-04-01', NULL),
    ('penutup-kepala',      1, '2020-04-01', NULL),
    ('penutup-sepatu',      1, '2020-04-01', NULL),
    ('hand-sanitizer-gel',  1, '2020-04-01', NULL),
    ('hand-sanitizer-cair', 1, '2020-04-01', NULL);

-- The items. Each statement fills one checklist (two for the hand
-- sanitizers, which share most items). The standard is looked up by code: a
-- misspelt code leaves standard_id NULL, which the tests refuse.

-- General checklist: every applicant, once per application.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'nib_valid', true, 0, 'PASOKAN-KURASI-UMUM-1', '',
     'NIB (13 digit) valid di OSS dan sesuai dengan nama, bentuk usaha dan alamat pada profil.',
     'The NIB (13 digits) is valid in OSS and matches the name, legal form and address in the profile.'),
    (20, 'npwp_valid', true, 0, 'PASOKAN-KURASI-UMUM-1', '',
     'NPWP valid dan terdaftar atas nama usaha atau pemiliknya sesuai profil.',
     'The NPWP is valid and registered to the business or its owner as in the profile.'),
    (30, 'kbli_covers_product', false, 2, 'PASOKAN-KURASI-UMUM-1', '',
     'Bidang usaha asal (KBLI) secara wajar mencakup produk yang diajukan (misalnya industri pakaian jadi untuk masker kain dan gaun).',
     'The original business (KBLI) plausibly covers the product applied for (for example garment manufacturing for cloth masks and gowns).'),
    (40, 'capacity_credible', false, 3, 'PASOKAN-KURASI-UMUM-1', '',
     'Kapasitas bulanan yang dinyatakan wajar untuk jumlah tenaga kerja dan peralatan yang dimiliki.',
     'The declared monthly capacity is credible for the workforce and equipment.'),
    (50, 'sample_photo_dated', true, 0, 'PASOKAN-KURASI-UMUM-1', '',
     'Ada foto sampel produk yang bertanggal dan sesuai dengan produk yang diajukan.',
     'There is a dated photo of a product sample that matches the product applied for.'),
    (60, 'physical_sample', false, 3, 'PASOKAN-KURASI-UMUM-1', '',
     'Sampel fisik yang diminta kurator telah diperiksa dan sesuai dengan foto dan klaim (''tidak berlaku'' bila kurator tidak meminta sampel).',
     'The physical sample the curator asked for has been examined and matches the photo and the claims (''not applicable'' when the curator did not ask for one).')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type IS NULL AND cl.version = 1;

-- Cloth mask, version 1 (1 April – 15 September 2020): the WHO advice on
-- fabric masks as it stood, formalised in the interim guidance of 5 June 2020.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'three_layers', true, 0, 'WHO/2019-nCoV/IPC_Masks/2020.4', '',
     'Sekurang-kurangnya tiga lapis kain.',
     'At least three layers of fabric.'),
    (20, 'inner_layer_absorbent', false, 3, 'WHO/2019-nCoV/IPC_Masks/2020.4', '',
     'Lapisan dalam dari bahan hidrofilik yang menyerap, seperti katun atau campuran katun.',
     'Inner layer of an absorbent, hydrophilic material such as cotton or a cotton blend.'),
    (30, 'middle_layer_nonwoven', false, 3, 'WHO/2019-nCoV/IPC_Masks/2020.4', '',
     'Lapisan tengah dari bahan non-woven sintetis seperti polipropilena sebagai penyaring.',
     'Middle layer of a synthetic non-woven material such as polypropylene, as a filter.'),
    (40, 'outer_layer_repellent', false, 3, 'WHO/2019-nCoV/IPC_Masks/2020.4', '',
     'Lapisan luar dari bahan hidrofobik yang menolak air, seperti polipropilena, poliester atau campurannya.',
     'Outer layer of a water-repellent, hydrophobic material such as polypropylene, polyester or a blend.'),
    (50, 'fit_nose_to_chin', true, 0, 'WHO/2019-nCoV/IPC_Masks/2020.4', '',
     'Menutup hidung, mulut dan dagu dan pas di sisi wajah tanpa celah.',
     'Covers the nose, mouth and chin and fits at the sides of the face without gaps.'),
    (60, 'washable', false, 2, 'WHO/2019-nCoV/IPC_Masks/2020.4', '',
     'Dapat dicuci dan dipakai ulang: bahan tahan dicuci dengan sabun atau deterjen dan air panas (sekurang-kurangnya 60 °C).',
     'Washable and reusable: the fabric withstands washing with soap or detergent and hot water (at least 60 °C).')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'masker-kain' AND cl.version = 1;

-- Cloth mask, version 2 (from 16 September 2020): SNI 8914:2020.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'two_layers', true, 0, 'SNI 8914:2020', '5',
     'Sekurang-kurangnya dua lapis kain (tenun dan/atau rajut).',
     'At least two layers of fabric (woven and/or knitted).'),
    (20, 'type_claim_backed', true, 0, 'SNI 8914:2020', '4',
     'Tipe yang diklaim tercantum (A penggunaan umum, B filtrasi bakteri, C filtrasi partikel); klaim tipe B atau C hanya dengan laporan uji yang mendukungnya.',
     'The type claimed is stated (A general use, B bacterial filtration, C particle filtration); a type B or C claim only with a test report that supports it.'),
    (30, 'air_permeability', false, 4, 'SNI 8914:2020', '5',
     'Tipe A: daya tembus udara 15–65 cm³/cm²/detik (''tidak berlaku'' untuk tipe B dan C, yang diuji tekanan diferensialnya).',
     'Type A: air permeability 15–65 cm³/cm²/s (''not applicable'' to types B and C, whose differential pressure is tested instead).'),
    (40, 'inner_absorbency', false, 3, 'SNI 8914:2020', '5',
     'Daya serap lapisan dalam ≤ 60 detik.',
     'Absorbency of the inner layer ≤ 60 s.'),
    (50, 'formaldehyde', false, 4, 'SNI 8914:2020', '5',
     'Kadar formaldehida bebas ≤ 75 mg/kg.',
     'Free formaldehyde ≤ 75 mg/kg.'),
    (60, 'colour_fastness', false, 3, 'SNI 8914:2020', '5',
     'Tahan luntur warna terhadap pencucian, keringat asam dan basa, dan ludah memenuhi SNI.',
     'Colour fastness to washing, acid and alkaline perspiration and saliva meets the SNI.'),
    (70, 'azo_dyes', false, 3, 'SNI 8914:2020', '5',
     'Tidak mengandung zat warna azo karsinogen melebihi batas SNI.',
     'No carcinogenic azo dyes above the SNI limit.'),
    (80, 'bacterial_filtration', false, 5, 'SNI 8914:2020', '5',
     'Tipe B: efisiensi filtrasi bakteri (BFE) ≥ 60 % dan tekanan diferensial dalam batas SNI (''tidak berlaku'' bila tidak mengklaim tipe B).',
     'Type B: bacterial filtration efficiency (BFE) ≥ 60 % and differential pressure within the SNI limit (''not applicable'' unless type B is claimed).'),
    (90, 'particle_filtration', false, 5, 'SNI 8914:2020', '5',
     'Tipe C: efisiensi filtrasi partikel (PFE) ≥ 60 % dan tekanan diferensial dalam batas SNI (''tidak berlaku'' bila tidak mengklaim tipe C).',
     'Type C: particle filtration efficiency (PFE) ≥ 60 % and differential pressure within the SNI limit (''not applicable'' unless type C is claimed).'),
    (100, 'finish_claims', false, 2, 'SNI 8914:2020', '5',
     'Klaim antibakteri atau tahan air didukung uji: aktivitas antibakteri, ketahanan pembasahan permukaan (uji siram) dan kadar PFOS/PFOA dalam batas SNI (''tidak berlaku'' bila tanpa klaim tersebut).',
     'Antibacterial or water-repellent claims are backed by tests: antibacterial activity, surface wetting resistance (spray test) and PFOS/PFOA within the SNI limits (''not applicable'' without such claims).'),
    (110, 'label', false, 2, 'SNI 8914:2020', '',
     'Penandaan pada kemasan: merek, negara pembuat, jenis serat setiap lapisan, keterangan antibakteri atau tahan air bila diproses demikian, tulisan "cuci sebelum dipakai", petunjuk pencucian, dan tipe masker.',
     'Marking on the package: brand, country of manufacture, fibre of each layer, antibacterial or water-repellent when so finished, the words "cuci sebelum dipakai" (wash before use), washing instructions, and the mask type.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'masker-kain' AND cl.version = 2;

-- Surgical mask: a medical device (izin edar AKD); SNI 8488:2018 (ASTM
-- F2100-11) and EN 14683:2019; three-ply non-woven per Kemenkes.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'permit_akd', true, 0, 'Permenkes 62/2017', '',
     'Memiliki izin edar alat kesehatan dalam negeri (AKD) dari Kemenkes untuk masker ini, dan nomornya sesuai dengan produk.',
     'Holds a Ministry of Health domestic medical device distribution permit (izin edar AKD) for this mask, and its number matches the product.'),
    (20, 'three_ply_nonwoven', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Tiga lapis bahan non-woven (spunbond–meltblown–spunbond/SMS, atau SMMS); sisi dalam dan luar mudah dibedakan.',
     'Three plies of non-woven (spunbond–meltblown–spunbond/SMS, or SMMS); the inside and outside are easy to tell apart.'),
    (30, 'bacterial_filtration_98', true, 0, 'SNI 8488:2018', '',
     'Efisiensi filtrasi bakteri (BFE) ≥ 98 % (level 2 atau 3 SNI 8488:2018; tipe II atau IIR EN 14683), menurut laporan uji laboratorium terakreditasi.',
     'Bacterial filtration efficiency (BFE) ≥ 98 % (level 2 or 3 of SNI 8488:2018; type II or IIR of EN 14683), per an accredited laboratory''s test report.'),
    (40, 'breathability', false, 4, 'EN 14683:2019+AC:2019', '5.2.3',
     'Kemampuan bernapas: tekanan diferensial < 40 Pa/cm² (tipe II) atau < 60 Pa/cm² (tipe IIR).',
     'Breathability: differential pressure < 40 Pa/cm² (type II) or < 60 Pa/cm² (type IIR).'),
    (50, 'splash_resistance', false, 4, 'EN 14683:2019+AC:2019', '5.2.4',
     'Tipe IIR: ketahanan percikan ≥ 16,0 kPa (uji ISO 22609) (''tidak berlaku'' bila tidak mengklaim tipe IIR).',
     'Type IIR: splash resistance ≥ 16.0 kPa (ISO 22609 test) (''not applicable'' unless type IIR is claimed).'),
    (60, 'fluid_resistance', false, 3, 'SNI 8488:2018', '',
     'Ketahanan penetrasi darah sintetis pada level yang diklaim: 80 mmHg (level 1), 120 mmHg (level 2) atau 160 mmHg (level 3) (''tidak berlaku'' bila masker diuji menurut EN 14683 saja).',
     'Synthetic blood penetration resistance at the level claimed: 80 mmHg (level 1), 120 mmHg (level 2) or 160 mmHg (level 3) (''not applicable'' when the mask is tested to EN 14683 only).'),
    (70, 'microbial_cleanliness', false, 3, 'EN 14683:2019+AC:2019', '5.2.5',
     'Kebersihan mikroba (bioburden) ≤ 30 cfu/g.',
     'Microbial cleanliness (bioburden) ≤ 30 cfu/g.'),
    (80, 'fit', false, 2, 'EN 14683:2019+AC:2019', '5.1.2',
     'Dapat dipasang rapat menutup hidung, mulut dan dagu, dengan penjepit hidung dan tali atau karet telinga.',
     'Fits closely over the nose, mouth and chin, with a nose clip and ties or ear loops.'),
    (90, 'single_use_labelled', false, 1, 'KEMENKES-APD-COVID19-2020', '',
     'Dinyatakan sekali pakai pada kemasan.',
     'Labelled for single use on the package.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'masker-bedah' AND cl.version = 1;

-- N95/KN95-class respirator: a medical device (izin edar AKD); filtration
-- per the class claimed.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'permit_akd', true, 0, 'Permenkes 62/2017', '',
     'Memiliki izin edar alat kesehatan dalam negeri (AKD) dari Kemenkes untuk respirator ini, dan nomornya sesuai dengan produk.',
     'Holds a Ministry of Health domestic medical device distribution permit (izin edar AKD) for this respirator, and its number matches the product.'),
    (20, 'filtration_95', true, 0, 'GB 2626-2006', '',
     'Efisiensi filtrasi ≥ 95 % terhadap aerosol NaCl (ukuran partikel paling tembus, sekitar 0,3 µm) sesuai kelas yang diklaim: KN95 menurut GB 2626-2006, atau N95 menurut 42 CFR 84; laporan uji laboratorium terakreditasi.',
     'Filtration efficiency ≥ 95 % against a NaCl aerosol (most penetrating particle size, about 0.3 µm) for the class claimed: KN95 per GB 2626-2006, or N95 per 42 CFR 84; an accredited laboratory''s test report.'),
    (30, 'niosh_approval', false, 5, '42 CFR 84', '',
     'Klaim N95 hanya dengan persetujuan NIOSH (nomor TC-84A) berdasarkan 42 CFR 84 (''tidak berlaku'' bila tidak mengklaim N95).',
     'An N95 claim only with a NIOSH approval (TC-84A number) under 42 CFR 84 (''not applicable'' unless N95 is claimed).'),
    (40, 'breathing_resistance', false, 3, 'GB 2626-2006', '',
     'Hambatan napas dalam batas KN95: hirup ≤ 350 Pa, hembus ≤ 250 Pa.',
     'Breathing resistance within the KN95 limits: inhalation ≤ 350 Pa, exhalation ≤ 250 Pa.'),
    (50, 'fit_leakage', false, 4, 'GB 2626-2006', '',
     'Kerapatan: kebocoran ke dalam total (uji pada pemakai) dalam batas kelasnya; penjepit hidung dan tali kepala atau telinga membuat respirator rapat di wajah.',
     'Fit: total inward leakage (tested on wearers) within the limit of its class; the nose clip and head or ear straps seal it to the face.'),
    (60, 'marking', false, 2, 'GB 2626-2006', '',
     'Respirator ditandai dengan standar dan kelasnya (GB 2626-2006 KN95), atau nomor persetujuan NIOSH untuk N95.',
     'The respirator is marked with its standard and class (GB 2626-2006 KN95), or with the NIOSH approval number for N95.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'respirator' AND cl.version = 1;

-- Coverall: the Kemenkes specification and EN 14126 tests; a permit for
-- medical use. A coverall may be offered without a medical claim, so the
-- permit gate passes with either the permit or a declared non-medical use.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'permit_akd_or_non_medical', true, 0, 'Permenkes 62/2017', '',
     'Memiliki izin edar AKD untuk coverall medis, atau menyatakan secara tertulis bahwa produk untuk penggunaan non-medis dan tidak membuat klaim medis.',
     'Holds an izin edar AKD for a medical coverall, or declares in writing that the product is for non-medical use and makes no medical claim.'),
    (20, 'material_nonwoven', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Bahan non-woven serat sintetis (polipropilena/polietilena) atau bahan berlaminasi.',
     'Non-woven synthetic fibre (polypropylene/polyethylene) or laminated material.'),
    (30, 'fluid_virus_resistant', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Tahan penetrasi cairan, darah dan virus, dibuktikan laporan uji laboratorium terakreditasi.',
     'Resists penetration by fluids, blood and viruses, proven by an accredited laboratory''s test report.'),
    (40, 'blood_penetration', false, 4, 'EN 14126:2003', '',
     'Uji penetrasi darah sintetis (ISO 16603) menurut EN 14126, dengan kelas tercantum pada laporan uji.',
     'Synthetic blood penetration test (ISO 16603) per EN 14126, with the class stated in the test report.'),
    (50, 'viral_penetration', false, 5, 'EN 14126:2003', '',
     'Uji penetrasi patogen darah dengan bakteriofag Phi-X174 (ISO 16604) menurut EN 14126, dengan kelas tercantum pada laporan uji.',
     'Blood-borne pathogen penetration test with Phi-X174 bacteriophage (ISO 16604) per EN 14126, with the class stated in the test report.'),
    (60, 'other_infective_agents', false, 2, 'EN 14126:2003', '',
     'Uji EN 14126 lain yang diklaim: penetrasi bakteri basah (ISO 22610), aerosol terkontaminasi biologis (ISO 22611), partikel kering terkontaminasi (ISO 22612) (''tidak berlaku'' bila tidak diklaim).',
     'Other EN 14126 tests claimed: wet bacterial penetration (ISO 22610), biologically contaminated aerosols (ISO 22611), dry microbial penetration (ISO 22612) (''not applicable'' when not claimed).'),
    (70, 'sealed_seams', false, 4, 'KEMENKES-APD-COVID19-2020', '',
     'Jahitan ditutup (seal, tape atau heat-seal) sehingga cairan tidak merembes melalui jahitan.',
     'Seams are sealed (sealed, taped or heat-sealed) so that fluid does not pass through them.'),
    (80, 'full_coverage', false, 2, 'KEMENKES-APD-COVID19-2020', '',
     'Menutup seluruh tubuh termasuk kepala, punggung dan tungkai bawah; berwarna terang agar kontaminasi mudah terlihat.',
     'Covers the whole body including the head, back and lower legs; a light colour so that contamination is easy to see.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'coverall' AND cl.version = 1;

-- Isolation gown: AAMI PB70:2012 level claimed and its tests; izin edar AKD.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'permit_akd', true, 0, 'Permenkes 62/2017', '',
     'Memiliki izin edar alat kesehatan dalam negeri (AKD) dari Kemenkes untuk gaun ini, dan nomornya sesuai dengan produk.',
     'Holds a Ministry of Health domestic medical device distribution permit (izin edar AKD) for this gown, and its number matches the product.'),
    (20, 'level_claimed', true, 0, 'AAMI PB70:2012', '',
     'Level perlindungan AAMI PB70 yang diklaim (1–4) tercantum pada label dan didukung laporan uji laboratorium terakreditasi untuk level itu.',
     'The AAMI PB70 protection level claimed (1–4) is on the label and backed by an accredited laboratory''s test report for that level.'),
    (30, 'impact_penetration', false, 4, 'AAMI PB70:2012', '',
     'Penetrasi tumbukan air (AATCC 42): ≤ 4,5 g untuk level 1; ≤ 1,0 g untuk level 2 dan 3 (''tidak berlaku'' untuk level 4).',
     'Water impact penetration (AATCC 42): ≤ 4.5 g for level 1; ≤ 1.0 g for levels 2 and 3 (''not applicable'' to level 4).'),
    (40, 'hydrostatic_pressure', false, 4, 'AAMI PB70:2012', '',
     'Tekanan hidrostatik (AATCC 127): ≥ 20 cm untuk level 2; ≥ 50 cm untuk level 3 (''tidak berlaku'' untuk level 1 dan 4).',
     'Hydrostatic pressure (AATCC 127): ≥ 20 cm for level 2; ≥ 50 cm for level 3 (''not applicable'' to levels 1 and 4).'),
    (50, 'viral_penetration', false, 5, 'AAMI PB70:2012', '',
     'Level 4: lulus uji penetrasi darah sintetis (ASTM F1670) dan penetrasi virus (ASTM F1671) (''tidak berlaku'' untuk level 1–3).',
     'Level 4: passes the synthetic blood (ASTM F1670) and viral penetration (ASTM F1671) tests (''not applicable'' to levels 1–3).'),
    (60, 'critical_zones', false, 3, 'AAMI PB70:2012', '',
     'Seluruh zona kritis (bagian depan dan lengan), termasuk jahitannya, memenuhi level yang diklaim.',
     'All critical zones (the front and the sleeves), seams included, meet the level claimed.'),
    (70, 'design', false, 2, 'KEMENKES-APD-COVID19-2020', '',
     'Lengan panjang dengan manset; menutup bagian depan dan samping tubuh dan dapat diikat dengan aman.',
     'Long sleeves with cuffs; covers the front and sides of the body and fastens securely.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'gaun-isolasi' AND cl.version = 1;

-- Apron (general, non-medical use): the Kemenkes PPE standard.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'waterproof', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Bahan kedap air (misalnya plastik PE atau PVC, atau kain berlapis).',
     'Waterproof material (for example PE or PVC plastic, or coated fabric).'),
    (20, 'front_coverage', false, 3, 'KEMENKES-APD-COVID19-2020', '',
     'Menutup bagian depan tubuh dari dada ke bawah.',
     'Covers the front of the body from the chest down.'),
    (30, 'ties', false, 2, 'KEMENKES-APD-COVID19-2020', '',
     'Tali leher dan pinggang kuat dan tidak mudah robek atau lepas.',
     'Neck and waist ties are strong and do not tear or come loose easily.'),
    (40, 'use_labelled', false, 1, 'KEMENKES-APD-COVID19-2020', '',
     'Dinyatakan sekali pakai, atau dapat dipakai ulang setelah dibersihkan dan didisinfeksi.',
     'Labelled single use, or reusable after cleaning and disinfection.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'apron' AND cl.version = 1;

-- Face shield: clear and covering (Kemenkes); anti-fog and impact (EN 166,
-- ANSI/ISEA Z87.1: one item per standard, the other 'na').
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'clear_visor', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Visor bening dan tidak mengganggu penglihatan.',
     'The visor is clear and does not impair vision.'),
    (20, 'forehead_to_chin', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Menutup wajah dari dahi sampai di bawah dagu, dan sisi wajah.',
     'Covers the face from the forehead to below the chin, and the sides of the face.'),
    (30, 'anti_fog', false, 3, 'EN 166:2001', '',
     'Anti-embun: ditandai N menurut EN 166, atau terbukti tidak berembun saat dipakai.',
     'Anti-fog: marked N under EN 166, or shown not to fog in use.'),
    (40, 'impact_en166', false, 3, 'EN 166:2001', '',
     'Tahan benturan menurut EN 166 (penandaan S atau F) (''tidak berlaku'' bila diuji menurut ANSI/ISEA Z87.1).',
     'Impact resistant under EN 166 (marked S or F) (''not applicable'' when tested to ANSI/ISEA Z87.1).'),
    (50, 'impact_z87', false, 3, 'ANSI/ISEA Z87.1-2015', '',
     'Tahan benturan menurut ANSI/ISEA Z87.1 (penandaan Z87+) (''tidak berlaku'' bila diuji menurut EN 166).',
     'Impact resistant under ANSI/ISEA Z87.1 (marked Z87+) (''not applicable'' when tested to EN 166).'),
    (60, 'reuse_labelled', false, 2, 'KEMENKES-APD-COVID19-2020', '',
     'Dapat dibersihkan dan didisinfeksi untuk dipakai ulang, atau dinyatakan sekali pakai pada label.',
     'Can be cleaned and disinfected for reuse, or is labelled single use.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'face-shield' AND cl.version = 1;

-- Medical gloves: izin edar AKD; tested either to EN 455 or, for nitrile
-- examination gloves, to ASTM D6319 (the route not taken is 'na').
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'permit_akd', true, 0, 'Permenkes 62/2017', '',
     'Memiliki izin edar alat kesehatan dalam negeri (AKD) dari Kemenkes untuk sarung tangan ini, dan nomornya sesuai dengan produk.',
     'Holds a Ministry of Health domestic medical device distribution permit (izin edar AKD) for these gloves, and its number matches the product.'),
    (20, 'type_declared', false, 1, 'KEMENKES-APD-COVID19-2020', '',
     'Jenis dan bahan dinyatakan: pemeriksaan atau bedah; nitril, lateks atau lainnya; berbedak atau bebas bedak; ukuran.',
     'Type and material are stated: examination or surgical; nitrile, latex or other; powdered or powder-free; sizes.'),
    (30, 'holes_en455', false, 3, 'EN 455-1:2000', '',
     'Bebas lubang: uji kebocoran air dengan AQL 1,5 (''tidak berlaku'' bila diuji menurut ASTM D6319).',
     'Freedom from holes: water leak test at AQL 1.5 (''not applicable'' when tested to ASTM D6319).'),
    (40, 'physical_en455', false, 2, 'EN 455-2:2015', '',
     'Dimensi dan gaya putus memenuhi EN 455-2 (''tidak berlaku'' bila diuji menurut ASTM D6319).',
     'Dimensions and force at break meet EN 455-2 (''not applicable'' when tested to ASTM D6319).'),
    (50, 'nitrile_astm', false, 5, 'ASTM D6319-19', '',
     'Sarung tangan pemeriksaan nitril diuji menurut ASTM D6319: dimensi, kuat tarik dan perpanjangan putus sebelum dan sesudah penuaan, bebas lubang (''tidak berlaku'' bila diuji menurut EN 455).',
     'Nitrile examination gloves tested to ASTM D6319: dimensions, tensile strength and elongation before and after ageing, freedom from holes (''not applicable'' when tested to EN 455).')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'sarung-tangan' AND cl.version = 1;

-- Head cap (general use): the Kemenkes PPE standard.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'covers_hair', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Menutup seluruh rambut dan kulit kepala.',
     'Covers all of the hair and the scalp.'),
    (20, 'fluid_resistant', false, 3, 'KEMENKES-APD-COVID19-2020', '',
     'Bahan tahan cairan, tidak mudah robek dan ringan.',
     'Fluid-resistant, tear-resistant and light material.'),
    (30, 'elastic_fit', false, 2, 'KEMENKES-APD-COVID19-2020', '',
     'Tepi elastis sehingga pas dan tidak mudah lepas.',
     'Elastic edge so that it fits and does not slip off.'),
    (40, 'single_use_labelled', false, 1, 'KEMENKES-APD-COVID19-2020', '',
     'Dinyatakan sekali pakai pada kemasan.',
     'Labelled for single use on the package.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'penutup-kepala' AND cl.version = 1;

-- Shoe cover (general use): the Kemenkes PPE standard.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'covers_shoe', true, 0, 'KEMENKES-APD-COVID19-2020', '',
     'Menutup seluruh sepatu, dengan bukaan elastis di pergelangan kaki.',
     'Covers the whole shoe, with an elastic opening at the ankle.'),
    (20, 'fluid_resistant', false, 3, 'KEMENKES-APD-COVID19-2020', '',
     'Bahan tahan cairan dan tidak mudah robek saat dipakai berjalan.',
     'Fluid-resistant material that does not tear easily when walked in.'),
    (30, 'single_use_labelled', false, 1, 'KEMENKES-APD-COVID19-2020', '',
     'Dinyatakan sekali pakai pada kemasan.',
     'Labelled for single use on the package.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type = 'penutup-sepatu' AND cl.version = 1;

-- Hand sanitizer, gel and liquid: izin edar PKD; the WHO formulation; the
-- items both forms share.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM checklists cl, (VALUES
    (10, 'permit_pkd', true, 0, 'Permenkes 62/2017', '',
     'Memiliki izin edar PKRT dalam negeri (PKD) dari Kemenkes untuk produk ini sebelum dijual, dan nomornya sesuai dengan produk.',
     'Holds a Ministry of Health domestic household health product distribution permit (izin edar PKD) for this product before it is sold, and its number matches the product.'),
    (30, 'alcohol_content', true, 0, 'WHO Handrub Formulations (2010)', '',
     'Kadar alkohol produk jadi dalam rentang efektif 60–85 % v/v, dibuktikan sertifikat analisis (CoA) dari laboratorium.',
     'The alcohol content of the finished product is within the effective range of 60–85 % v/v, shown by a laboratory certificate of analysis (CoA).'),
    (40, 'no_methanol', true, 0, 'WHO Handrub Formulations (2010)', '',
     'Tidak mengandung metanol: alkohol hanya etanol atau isopropil alkohol mutu farmasi, dibuktikan sertifikat analisis bahan baku atau produk.',
     'Contains no methanol: the only alcohol is pharmaceutical-grade ethanol or isopropyl alcohol, shown by a certificate of analysis of the raw material or product.'),
    (50, 'batch_alcohol_check', false, 2, 'WHO Handrub Formulations (2010)', '',
     'Kadar alkohol setiap bets diperiksa (misalnya dengan alkoholmeter) dan dicatat.',
     'The alcohol content of every batch is checked (for example with an alcoholometer) and recorded.'),
    (60, 'quarantine_72h', false, 3, 'WHO Handrub Formulations (2010)', '',
     'Setiap bets dikarantina 72 jam sebelum dilepas untuk dijual.',
     'Every batch is held in quarantine for 72 hours before release for sale.'),
    (70, 'label', false, 2, 'WHO Handrub Formulations (2010)', '',
     'Label mencantumkan kadar alkohol (% v/v), peringatan mudah terbakar (jauhkan dari api dan panas), hanya untuk pemakaian luar, nomor bets, tanggal kedaluwarsa dan nomor izin edar.',
     'The label states the alcohol content (% v/v), a flammable warning (keep away from flame and heat), for external use only, the batch number, the expiry date and the permit number.')
  ) AS v(sort_order, key, gate, weight, standard, clause, text_id, text_en)
 WHERE cl.product_type IN ('hand-sanitizer-gel', 'hand-sanitizer-cair') AND cl.version = 1;

-- The formulation item differs between the forms: WHO's formulations are
-- liquids; a gel adds a thickener to the same alcohol content.
INSERT INTO checklist_items (checklist_id, sort_order, key, gate, weight, standard_id, clause, text_id, text_en)
SELECT cl.id, v.sort_order, v.key, v.gate, v.weight, (SELECT s.id FROM standards s WHERE s.code = v.standard), v.clause, v.text_id, v.text_en
  FROM (VALUES
    ('hand-sanitizer-cair', 20, 'who_formulation', false, 4, 'WHO Handrub Formulations (2010)', '',
     'Formula setara rekomendasi WHO: etanol 80 % v/v atau isopropil alkohol 75 % v/v, gliserol 1,45 % v/v, hidrogen peroksida 0,125 % v/v.',
     'Formulation as recommended by WHO: ethanol 80 % v/v or isopropyl alcohol 75 % v/v, glycerol 1.45 % v/v, hydrogen peroxide 0.125 % v/v.'),
    ('hand-sanitizer-gel', 20, 'who_formulation', false, 4, 'WHO Handrub Formulations (2010)', '',
     'Formula gel berdasarkan formula WHO: kadar alkohol akhir setara etanol 80 % v/v atau isopropil alkohol 75 % v/v; pengental tidak menurunkan kadar alkohol di bawah rentang efektif.',
     'Gel based on the WHO formulation: final alcohol content equivalent to ethanol 80 % v/v or isopropyl alcohol 75 % v/v; the thickener does not bring the alcohol content below the effective range.')
  ) AS v(product_type, sort_order, key, gate, weight, standard, clause, text_id, text_en)
  JOIN checklists cl ON cl.product_type = v.product_type AND cl.version = 1;

-- +goose Down
-- Reviews that pinned one of these checklists keep the rows alive: the
-- foreign key refuses the delete, as it should.
DELETE FROM checklist_items;
DELETE FROM checklists;
DELETE FROM standards;
