//! The embedded default data set: every fact of the source document (Direct
//! Relief's profile of JANIC and its grants), and nothing invented. Seed rows
//! have fixed ids and fixed change stamps with origin "seed", so every replica
//! that seeds itself holds identical changes and sync never duplicates them.

use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

use crate::error::Result;
use crate::hlc::Stamp;
use crate::store::{CellValue, Writer};

pub const SEED_ORIGIN: &str = "seed";
/// 2011-03-11T00:00:00Z, the day of the earthquake: below every real stamp.
const SEED_MILLIS: i64 = 1_299_801_600_000;

/// Deterministic UUIDv7 for a seed record, from its key.
pub fn seed_id(key: &str) -> String {
    let digest = Sha256::digest(format!("kizuna-seed:{key}").as_bytes());
    let mut rand = [0u8; 10];
    rand.copy_from_slice(&digest[..10]);
    let id: Uuid = Builder::from_unix_timestamp_millis(SEED_MILLIS as u64, &rand).into_uuid();
    id.to_string()
}

fn t(s: &str) -> CellValue {
    CellValue::text(s)
}
fn i(n: i64) -> CellValue {
    CellValue::Integer(n)
}

struct Seeder<'w, 'a> {
    w: &'w mut Writer<'a>,
    n: i64,
}

impl Seeder<'_, '_> {
    fn row(&mut self, table: &str, key: &str, cells: &[(&str, CellValue)]) -> Result<String> {
        let id = seed_id(key);
        self.n += 1;
        self.w.insert_stamped(table, &id, cells, Stamp::from_parts(SEED_MILLIS, self.n), SEED_ORIGIN)?;
        Ok(id)
    }
}

/// The reported figures that the coordination records give computed
/// counterparts of; the phase report sets them side by side.
pub const MEETING_FIGURE_EN: &str = "Organizations represented at each information-sharing meeting";
pub const LIST_FIGURE_EN: &str = "Organizations and companies on the mailing list";

pub const PROFILE_KEY: &str = "profile:janic";
pub const DONOR_KEY: &str = "donor:direct-relief";

/// Writes the seed data set through the mutation path.
pub fn write_seed(w: &mut Writer<'_>) -> Result<()> {
    let mut s = Seeder { w, n: 0 };

    s.row("profiles", PROFILE_KEY, &[
        ("name_en", t("Japan NGO Center for International Cooperation")),
        ("name_ja", t("特定非営利活動法人 国際協力NGOセンター")),
        ("acronym", t("JANIC")),
        ("founded_year", i(1987)),
        ("affiliation_en", t("No political, religious, or ideological affiliation")),
        ("affiliation_ja", t("政治・宗教・思想的な立場に依らない")),
        ("mission_en", t("Established in 1987 by a group of NGO leaders who recognized the need for better coordination among Japanese NGOs.")),
        ("mission_ja", t("日本のNGO間の連携強化の必要性を認識したNGOリーダーたちによって1987年に設立。")),
        ("focus_areas", t(&json!([
            {"en": "Promotion of dialogue and partnerships among NGOs", "ja": "NGO間の対話とパートナーシップの促進"},
            {"en": "Strengthened capacity and social responsibility", "ja": "能力強化と社会的責任"},
            {"en": "Policy advocacy", "ja": "政策提言"},
            {"en": "Promotion of citizen support", "ja": "市民による支援の促進"},
            {"en": "Collaboration among different sectors of society", "ja": "社会の多様なセクター間の協働"}
        ]).to_string())),
        ("past_responses", t(&json!([
            {"country_en": "Sri Lanka", "country_ja": "スリランカ", "year": 2011},
            {"country_en": "Pakistan", "country_ja": "パキスタン", "year": 2010},
            {"country_en": "Chile", "country_ja": "チリ", "year": 2010},
            {"country_en": "Haiti", "country_ja": "ハイチ", "year": 2010}
        ]).to_string())),
    ])?;

    for (code, name_en, name_ja, pref, loc_en, loc_ja, hq) in [
        ("tokyo", "Tokyo (headquarters)", "東京本部", "13", "Nishiwaseda, Tokyo", "東京都新宿区西早稲田", 1),
        ("tono", "Tono office", "遠野事務所", "03", "Matsuzaki, Tono City", "遠野市松崎町", 0),
        ("fukushima", "Fukushima office", "福島事務所", "07", "Matsuyama, Fukushima", "福島市松山町", 0),
        ("sendai", "Sendai office", "仙台事務所", "04", "Aoba-ku, Sendai", "仙台市青葉区", 0),
    ] {
        s.row(
            "offices",
            &format!("office:{code}"),
            &[
                ("code", t(code)),
                ("name_en", t(name_en)),
                ("name_ja", t(name_ja)),
                ("prefecture_code", t(pref)),
                ("locality_en", t(loc_en)),
                ("locality_ja", t(loc_ja)),
                ("is_hq", i(hq)),
            ],
        )?;
    }

    let donor = s.row(
        "donors",
        DONOR_KEY,
        &[
            ("name_en", t("Direct Relief")),
            ("name_ja", t("ダイレクト・リリーフ")),
            ("country", t("United States")),
            // The source names the fund "Japan Recovery and Relief Fund" (its
            // coordinator's title reads "Japan Relief and Recovery Coordinator").
            ("relief_fund_en", t("Japan Recovery and Relief Fund")),
            ("relief_fund_ja", t("日本復興救援基金")),
        ],
    )?;

    let fukuden = s.row(
        "partners",
        "partner:fukuden",
        &[
            ("name_en", t("FUKUDEN")),
            ("acronym", t("FUKUDEN")),
            ("kind", t("local_ngo")),
            ("description_en", t("Local NGO in Fukushima")),
        ],
    )?;
    let jpf = s.row(
        "partners",
        "partner:japan-platform",
        &[
            ("name_en", t("Japan Platform")),
            ("name_ja", t("ジャパン・プラットフォーム")),
            ("acronym", t("JPF")),
            ("kind", t("network")),
            ("description_en", t("Key actor in the disaster relief effort")),
        ],
    )?;
    let jcn = s.row(
        "partners",
        "partner:jcn",
        &[
            ("name_en", t("Japan Civil Network")),
            ("name_ja", t("東日本大震災支援全国ネットワーク")),
            ("acronym", t("JCN")),
            ("kind", t("network")),
            ("description_en", t("National network of civil society organisations responding to the disaster")),
        ],
    )?;

    // Relationship-level figures: the profile's own paragraph says "over 40"
    // (the phase 1 text says "over 50": the reports state both, once, with a
    // note). The source says "200 sites" with no qualifier. `metric` names
    // the computed figure each is set beside.
    for (n, (label_en, label_ja, value, qualifier, unit, metric)) in [
        (
            "Japanese nonprofit organizations supported",
            "支援する日本の非営利団体",
            "40",
            Some("over"),
            "organizations",
            "member_ngos",
        ),
        (
            "Sites represented in the most affected areas",
            "最も被害の大きい地域の拠点",
            "200",
            None,
            "sites",
            "active_sites",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut cells = vec![
            ("seq", i(n as i64 + 1)),
            ("label_en", t(label_en)),
            ("label_ja", t(label_ja)),
            ("kind", t("reported")),
            ("metric", t(metric)),
            ("value", t(value)),
            ("unit", t(unit)),
            ("source", t("Direct Relief partner profile of JANIC")),
        ];
        if let Some(q) = qualifier {
            cells.push(("qualifier", t(q)));
        }
        s.row("indicators", &format!("indicator:relationship:{n}"), &cells)?;
    }

    let erp = s.row(
        "grants",
        "grant:emergency-relief",
        &[
            ("donor_id", t(&donor)),
            ("title_en", t("Emergency Relief Program Grant")),
            ("title_ja", t("緊急救援プログラム助成")),
            ("currency", t("USD")),
            ("notes", t("Cash grants for earthquake and tsunami relief and recovery in Japan, since March 2011.")),
        ],
    )?;
    let p1 = s.row("phases", "phase:erp-1", &[
        ("grant_id", t(&erp)), ("seq", i(1)), ("title_en", t("Emergency Relief Program Grant – Phase 1")),
        ("title_ja", t("緊急救援プログラム助成 フェーズ1")), ("start_date", t("2011-03-11")), ("end_date", t("2012-03-10")),
        ("amount", t("328709.00")), ("currency", t("USD")),
        ("summary_en", t("Based in Tokyo, JANIC has played a central, specialized role in the relief and recovery activities of Japanese NGOs since the earthquake, tsunami, and nuclear disaster in March 2011. JANIC supports over 50 Japanese NGOs representing 200 sites in the areas most severely affected by the disaster: Miyagi, Iwate and Fukushima Prefectures. JANIC provides members with a platform to communicate and collaborate. Its efforts have helped to distribute resources, avoid duplication of efforts, and gather and share key data. JANIC aims to grow grassroots organizations that can take over responsibility for work currently being done by NGOs.")),
        ("summary_ja", t("東京を拠点とするJANICは、2011年3月の地震・津波・原子力災害以降、日本のNGOによる救援・復興活動において中心的かつ専門的な役割を果たしてきた。宮城・岩手・福島の最も被害の大きい地域で200拠点を代表する50以上の日本のNGOを支援している。JANICは会員に、連絡を取り合い協働するための場を提供している。その取り組みは、資源の配分、活動の重複の回避、重要なデータの収集と共有に役立ってきた。JANICは、現在NGOが担っている活動を引き継ぐことのできる草の根の団体を育てることを目指している。")),
    ])?;
    let p2 = s.row("phases", "phase:erp-2", &[
        ("grant_id", t(&erp)), ("seq", i(2)), ("title_en", t("Emergency Relief Program Grant – Phase 2")),
        ("title_ja", t("緊急救援プログラム助成 フェーズ2")), ("start_date", t("2012-03-11")), ("end_date", t("2014-03-10")),
        ("amount", t("270000.00")), ("currency", t("USD")),
        ("summary_en", t("JANIC continues to support over 50 Japanese NGOs working in the areas most severely affected by the disaster: Miyagi, Iwate and Fukushima Prefectures.")),
        ("summary_ja", t("JANICは宮城・岩手・福島の最も被害の大きい地域で活動する50以上の日本のNGOへの支援を継続している。")),
    ])?;
    let nuc = s.row(
        "grants",
        "grant:nuclear-advocacy",
        &[
            ("donor_id", t(&donor)),
            (
                "title_en",
                t("Linking Civil Societies with Nuclear Threat for Joint Advocacy for Future Disaster Prevention"),
            ),
            ("title_ja", t("原子力の脅威に向き合う市民社会をつなぎ、将来の災害予防に向けて共に提言する")),
            ("currency", t("USD")),
        ],
    )?;
    let p3 = s.row("phases", "phase:nuclear-advocacy", &[
        ("grant_id", t(&nuc)), ("seq", i(1)),
        ("title_en", t("Linking Civil Societies with Nuclear Threat for Joint Advocacy for Future Disaster Prevention")),
        ("title_ja", t("原子力の脅威に向き合う市民社会をつなぎ、将来の災害予防に向けて共に提言する")),
        // The source gives this project's dates to the month only.
        ("start_date", t("2014-04")), ("end_date", t("2017-03")),
        ("amount", t("100000.00")), ("currency", t("USD")),
        ("summary_en", t("JANIC is partnered with local NGO FUKUDEN to promote networking among citizens of Fukushima, Japan, and the world. They aim to share the lessons of the nuclear disaster in Fukushima and promote enhancing public knowledge of radiation issues.")),
        ("summary_ja", t("JANICは地元NGOのFUKUDENと連携し、福島・日本・世界の市民のネットワークづくりを進める。福島の原子力災害の教訓を共有し、放射能問題についての市民の知識向上を図る。")),
    ])?;

    // (phase id, its activities as (title in English, title in Japanese,
    // description in English, description in Japanese)).
    type PhaseActivities<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str, &'a str)]);
    let activities: [PhaseActivities<'_>; 3] = [
        (
            &p1,
            &[
                (
                    "Meeting Coordination",
                    "会議の調整",
                    "Member NGOs are provided a forum in which to regularly meet one another, plan coordinated activities, and share information about best practices. The forum allows organizations to address demands and challenges from the field and operation centers. An average of 20 organizations are represented at each information-sharing meeting.",
                    "会員NGOに、定期的に顔を合わせ、連携した活動を計画し、優れた実践についての情報を共有する場を提供している。この場を通じて、各団体は現場や活動拠点からの要望や課題に取り組むことができる。情報共有会議には毎回平均20団体が参加している。",
                ),
                (
                    "Information Collection and Provision",
                    "情報の収集と提供",
                    "Relevant information and updates of members' activities are shared via JANIC's website and mailings. Information is exchanged among key actors in the disaster relief effort, such as the Japan Platform. Over 100 organizations and companies participate in the mailing list.",
                    "会員の活動に関する情報や最新の状況を、JANICのウェブサイトとメーリングで共有している。ジャパン・プラットフォームなど、災害救援の主要な関係者の間で情報を交換している。メーリングリストには100以上の団体・企業が参加している。",
                ),
                (
                    "Pooled Relief Fund",
                    "共同募金",
                    "JANIC has established an account to collect \"all-in-one\" donations related to the earthquake and tsunami. Over 1,500 donors have contributed over $1 million, distributed equally among JANIC's member NGOs.",
                    "JANICは地震・津波に関する「オールインワン」の寄付を集める口座を開設した。1,500人以上の寄付者から100万ドル以上が寄せられ、JANICの会員NGOに均等に配分されている。",
                ),
                (
                    "Donation Matching",
                    "寄付のマッチング",
                    "Donors offering funds and aid supplies are matched with JANIC members who need those funds and supplies. Matched support has included dishes, cell phones, computers, maps, staff, and funding.",
                    "資金や支援物資を提供したい寄付者と、それらを必要とするJANICの会員とを結びつけている。これまでに食器、携帯電話、パソコン、地図、人材、資金などの支援が結びついた。",
                ),
                (
                    "Nonprofit Support",
                    "非営利団体の支援",
                    "Member NGOs benefit from the consolidation of policy recommendations, coordination of external supporters, and mutual promotion.",
                    "会員NGOは、政策提言の取りまとめ、外部支援者の調整、相互の広報による恩恵を受けている。",
                ),
                (
                    "Policy Advocacy",
                    "政策提言",
                    "NGOs in the field desire that their acquired experiences and lessons are reflected in government policies. In order to support this goal, JANIC issues appeals and recommendations to the government, and participates in the Japan Civil Network (JCN) as one of its steering committee members.",
                    "現場のNGOは、得られた経験と教訓が政府の政策に反映されることを望んでいる。これを支えるため、JANICは政府に要望・提言を行い、東日本大震災支援全国ネットワーク（JCN）に世話団体の一つとして参加している。",
                ),
            ],
        ),
        (
            &p2,
            &[
                (
                    "Information Collection and Provision",
                    "情報の収集と提供",
                    "JANIC tracks members' relief activities, maintains a master mailing list, and exchanges information between key actors.",
                    "JANICは会員の救援活動を把握し、マスターメーリングリストを管理し、主要な関係者の間で情報を交換している。",
                ),
                (
                    "Coordination and Support of NGO Activities",
                    "NGO活動の調整と支援",
                    "On behalf of member NGOs, JANIC consolidates policy recommendations, coordinates external supporters, and promotes relief activities.",
                    "JANICは会員NGOに代わって政策提言を取りまとめ、外部支援者を調整し、救援活動を広報している。",
                ),
                (
                    "External Relations",
                    "対外関係",
                    "JANIC has established relationships with Japanese officials and relevant agencies.",
                    "JANICは日本の行政関係者や関係機関との関係を築いてきた。",
                ),
            ],
        ),
        (
            &p3,
            &[
                (
                    "Enhancing Public Knowledge of Radiation Issues",
                    "放射能問題に関する市民の知識向上",
                    "Other non-profit organizations and agencies come together to join resources and share information about radiation issues. Initial collaboration led to the creation of fukushimaontheglobe.com.",
                    "他の非営利団体や機関が集まり、資源を持ち寄って放射能問題についての情報を共有している。最初の協働からfukushimaontheglobe.comが生まれた。",
                ),
                (
                    "Create Linkages with Asian Nations",
                    "アジア諸国とのつながりづくり",
                    "Networks of NGOs are employed in Asian countries with nuclear power plants (China, Korea, Taiwan, India, Pakistan) and Asian countries where nuclear power plants are planned (Vietnam, Indonesia, Bangladesh, Malaysia).",
                    "原子力発電所のあるアジア諸国（中国、韓国、台湾、インド、パキスタン）と、原子力発電所の建設が計画されているアジア諸国（ベトナム、インドネシア、バングラデシュ、マレーシア）でNGOのネットワークを活用している。",
                ),
            ],
        ),
    ];
    for (phase, list) in activities {
        for (n, (en, ja, desc, desc_ja)) in list.iter().enumerate() {
            s.row(
                "activities",
                &format!("activity:{phase}:{n}"),
                &[
                    ("phase_id", t(phase)),
                    ("seq", i(n as i64 + 1)),
                    ("title_en", t(en)),
                    ("title_ja", t(ja)),
                    ("description_en", t(desc)),
                    ("description_ja", t(desc_ja)),
                ],
            )?;
        }
    }

    for (key, phase, partner, role_en, role_ja) in [
        (
            "p1-jpf",
            &p1,
            &jpf,
            "Information exchange among key actors in the disaster relief effort",
            "災害救援の主要な関係者間の情報交換",
        ),
        (
            "p1-jcn",
            &p1,
            &jcn,
            "JANIC participates as one of its steering committee members",
            "JANICは世話団体の一つとして参加",
        ),
        ("p3-fukuden", &p3, &fukuden, "Project partner", "事業パートナー"),
    ] {
        s.row(
            "phase_partners",
            &format!("phase-partner:{key}"),
            &[("phase_id", t(phase)), ("partner_id", t(partner)), ("role_en", t(role_en)), ("role_ja", t(role_ja))],
        )?;
    }

    let source = "Direct Relief partner profile of JANIC";
    type Figure<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>, &'a str, Option<&'a str>);
    let figures: [Figure<'_>; 7] = [
        (&p1, "Japanese NGOs supported", "支援する日本のNGO", "50", Some("over"), "organizations", Some("member_ngos")),
        (
            &p1,
            "Sites in the most affected areas",
            "最も被害の大きい地域の拠点",
            "200",
            None,
            "sites",
            Some("active_sites"),
        ),
        (&p1, MEETING_FIGURE_EN, "情報共有会議ごとの参加団体数", "20", Some("average"), "organizations", None),
        (&p1, LIST_FIGURE_EN, "メーリングリスト参加団体・企業", "100", Some("over"), "organizations", None),
        (&p1, crate::report::fund::DONORS_FIGURE_EN, "共同募金の寄付者", "1500", Some("over"), "donors", None),
        (&p1, crate::report::fund::TOTAL_FIGURE_EN, "共同募金への寄付総額", "1000000", Some("over"), "USD", None),
        (&p2, "Japanese NGOs supported", "支援する日本のNGO", "50", Some("over"), "organizations", Some("member_ngos")),
    ];
    for (n, (phase, en, ja, value, qualifier, unit, metric)) in figures.iter().enumerate() {
        let mut cells = vec![
            ("phase_id", t(phase)),
            ("seq", i(n as i64 + 1)),
            ("label_en", t(en)),
            ("label_ja", t(ja)),
            ("kind", t("reported")),
            ("value", t(value)),
            ("unit", t(unit)),
            ("source", t(source)),
        ];
        if let Some(q) = qualifier {
            cells.push(("qualifier", t(q)));
        }
        if let Some(m) = metric {
            cells.push(("metric", t(m)));
        }
        s.row("indicators", &format!("indicator:{phase}:{n}"), &cells)?;
    }
    // Figures the core computes from the registry whenever a report is made.
    for (n, (metric, en, ja)) in [
        ("members_with_active_site", "Member NGOs with an active site", "活動中の拠点を持つ会員NGO"),
        ("active_sites", "Active sites", "活動中の拠点"),
    ]
    .into_iter()
    .enumerate()
    {
        for phase in [&p1, &p2, &p3] {
            s.row(
                "indicators",
                &format!("indicator:computed:{phase}:{n}"),
                &[
                    ("phase_id", t(phase)),
                    ("seq", i(100 + n as i64)),
                    ("label_en", t(en)),
                    ("label_ja", t(ja)),
                    ("kind", t("computed")),
                    ("metric", t(metric)),
                ],
            )?;
        }
    }

    for (key, phase, person, role, text) in [
        (
            "carl-williams",
            &p1,
            "Carl Williams",
            "Japan Relief and Recovery Coordinator, Direct Relief",
            "The great quality of work in the affected areas and the degree of efforts has clearly been a result of JANIC coordination functions of positive coverage and resource control.",
        ),
        (
            "emiko-fujioka",
            &p1,
            "Emiko Fujioka",
            "Coordinator, JANIC",
            "Small-scale NGOs do not have good access to information and resources. We will put more emphasis on giving information to those small NGOs.",
        ),
    ] {
        s.row(
            "statements",
            &format!("statement:{key}"),
            &[
                ("phase_id", t(phase)),
                ("seq", i(if key == "carl-williams" { 1 } else { 2 })),
                ("person", t(person)),
                ("role_en", t(role)),
                ("text_en", t(text)),
            ],
        )?;
    }

    // Coordination records the source states: JANIC sits on the Japan Civil
    // Network's steering committee, and keeps a master mailing list that
    // over 100 organisations and companies are on (their names are not in
    // the source, so the list starts empty).
    s.row(
        "network_memberships",
        "network:jcn",
        &[
            ("network_en", t("Japan Civil Network (JCN)")),
            ("network_ja", t("東日本大震災支援全国ネットワーク（JCN）")),
            ("role_en", t("Steering committee member")),
            ("role_ja", t("世話団体")),
        ],
    )?;
    s.row("mailing_lists", "list:master", &[
        ("name_en", t("JANIC master mailing list")),
        ("name_ja", t("JANICマスターメーリングリスト")),
        ("description", t("Relevant information and updates of members' activities, shared with key actors in the relief effort.")),
    ])?;
    Ok(())
}
