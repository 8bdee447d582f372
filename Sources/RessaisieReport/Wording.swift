import Foundation
import RessaisieCore

/// The language of Markdown, HTML and their words in CSV-free formats (`--lang fr|en`).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case fr, en
}

/// Words and number formats of the published reports, in French and English (professions from the
/// shipped vocabulary of RessaisieCore).
public struct Wording: Sendable {
    public var language: ReportLanguage
    /// What a hidden count shows (`<11`).
    public var suppressedMark: String
    /// What a cell hidden to protect another shows (its value may be anything).
    public static let withheldMark = "×"

    /// The fewest authors a profession or staff group is shown with (in the definitions).
    public var minAuthorsPerProfession = Disclosure.defaultMinAuthorsPerProfession

    public init(
        _ language: ReportLanguage, threshold: Int = Disclosure.defaultThreshold,
        minAuthorsPerProfession: Int = Disclosure.defaultMinAuthorsPerProfession
    ) {
        self.language = language
        suppressedMark = "<\(threshold)"
        self.minAuthorsPerProfession = minAuthorsPerProfession
    }

    /// The word for an id (a column, a table, a metric, a category…); the id itself when unknown.
    public func word(_ id: String) -> String {
        if let entry = Self.words[id] { return language == .fr ? entry.fr : entry.en }
        if let profession = Self.professions[id] {
            return language == .fr ? profession.frenchLabel : profession.englishLabel
        }
        return id
    }

    /// The shipped canonical professions (RessaisieCore's vocabulary), by id.
    static let professions: [String: Vocabulary.Profession] = Dictionary(
        Vocabulary.professions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// True for a canonical profession id, which is shown in the report's language.
    public static func isCanonicalProfession(_ id: String) -> Bool { professions[id] != nil }

    /// A cell as text.
    public func format(_ cell: Cell) -> String {
        switch cell {
        case .label(let id): word(id)
        case .text(let text): text
        case .count(let value), .rank(let value): integer(value)
        case .tiedRank(let value): integer(value) + (language == .fr ? " (ex æquo)" : " (tied)")
        case .rate(let value): decimal(value * 100, 1) + (language == .fr ? "\u{202F}%" : "%")
        // One decimal for every hour figure; a figure too small for it says so rather than reading 0.
        case .hours(let value): value > 0 && value < 0.05 ? "< " + decimal(0.1, 1) : decimal(value, 1)
        case .fte(let value): decimal(value, 1)
        case .number(let value): trimmed(decimal(value, 2))
        case .minutes(let value): duration(value)
        case .suppressed: suppressedMark
        case .withheld: Self.withheldMark
        case .none: "–"
        }
    }

    /// `60,00` → `60`, `0,50` → `0,5`: a setting written as the analyst would write it.
    func trimmed(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "." }) else { return text }
        var text = Substring(text)
        while text.last == "0" { text = text.dropLast() }
        if text.last == "," || text.last == "." { text = text.dropLast() }
        return String(text)
    }

    /// A generation time (`2026-03-04T08:05:00+01:00`) in the reader's convention: `04/03/2026 08:05
    /// (UTC+01:00)` in French, `2026-03-04 08:05 (UTC+01:00)` in English.
    public func timestamp(_ iso: String) -> String {
        guard iso.count >= 25 else { return iso }
        let date = String(iso.prefix(10)), time = iso.dropFirst(11).prefix(5), zone = iso.suffix(6)
        return "\(day(date)) \(time) (UTC\(zone))"
    }

    /// The privacy paragraph for these disclosure settings.
    public func privacyText(_ disclosure: Disclosure) -> String {
        var text = word("privacy_text")
        if !disclosure.suppressSmallCounts || disclosure.threshold <= 1 {
            text =
                language == .fr
                ? "Aucun identifiant, nom ni texte libre ; effectifs exacts (pas de masquage des petits effectifs). Les professions de moins de {authors} auteurs sont regroupées dans « autres » ; aucun chiffre par personne."
                : "No identifier, name or free text; exact counts (small counts not hidden). Professions with fewer than {authors} authors are merged into “others”; no figure is ever given per person."
        }
        return text.replacingOccurrences(of: "{max}", with: String(disclosure.threshold - 1))
            .replacingOccurrences(of: "{mark}", with: suppressedMark)
            .replacingOccurrences(of: "{authors}", with: String(disclosure.minAuthorsPerProfession))
    }

    /// A count of words with its noun in the right number (`1 mot`, `2 mots`; `0 words`, `1 word`).
    public func words(_ count: Int) -> String {
        let singular = language == .fr ? count <= 1 : count == 1
        return integer(count) + " " + word(singular ? "word" : "words")
    }

    /// What the method says of how sure the counts are: the review's precision and recall with their 95 %
    /// intervals, or that they were not reviewed and the tool's tested accuracy (`TestedAccuracy`).
    public func accuracyText(_ review: ReviewEstimate?) -> String {
        func rate(_ value: Double) -> String { format(.rate(min(1, max(0, value)))) }
        if let review, review.precision == nil || review.recall == nil {
            return word("method_reviewed_undetermined").replacingOccurrences(
                of: "{pairs}", with: integer(review.reviewed))
        }
        guard let review, let precision = review.precision, let recall = review.recall else {
            return word("method_unreviewed").replacingOccurrences(of: "{f1}", with: decimal(TestedAccuracy.f1, 2))
                .replacingOccurrences(of: "{precision}", with: decimal(TestedAccuracy.precision, 2))
                .replacingOccurrences(of: "{recall}", with: decimal(TestedAccuracy.recall, 2))
        }
        return word("method_reviewed").replacingOccurrences(of: "{pairs}", with: integer(review.reviewed))
            .replacingOccurrences(of: "{precision_low}", with: rate(precision.lower))
            .replacingOccurrences(of: "{precision_high}", with: rate(precision.upper))
            .replacingOccurrences(of: "{precision}", with: rate(precision.estimate))
            .replacingOccurrences(of: "{recall_low}", with: rate(recall.lower))
            .replacingOccurrences(of: "{recall_high}", with: rate(recall.upper))
            .replacingOccurrences(of: "{recall}", with: rate(recall.estimate))
    }

    /// "Re-entries 1,620 (estimated 1,540 – 1,730 from 60 reviewed pairs)" for a site of a reviewed audit, from
    /// its overview (hidden cells as they are shown); nil without review.
    public func reviewedLine(_ site: PublishedSite, review: ReviewEstimate?) -> String? {
        guard let review, let overview = site.table("overview") else { return nil }
        func cell(_ id: String) -> Cell? { overview.rows.first { $0.first == .label(id) }?[1] }
        guard let count = cell("re_entries"), let low = cell("re_entries_estimated_low"),
            let high = cell("re_entries_estimated_high")
        else { return nil }
        return word("reviewed_line").replacingOccurrences(of: "{count}", with: format(count))
            .replacingOccurrences(of: "{low}", with: format(low)).replacingOccurrences(of: "{high}", with: format(high))
            .replacingOccurrences(of: "{pairs}", with: integer(review.reviewed))
    }

    /// A colon after a word: French puts a space before it.
    public var colon: String { language == .fr ? "\u{00A0}:" : ":" }

    public func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += language == .fr ? "\u{202F}" : "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    public func decimal(_ value: Double, _ decimals: Int) -> String {
        let text = TextReport.decimal(value, decimals)
        return language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    public func duration(_ minutes: Double) -> String {
        if minutes < 90 { return "\(decimal(minutes, 0)) min" }
        if minutes < 48 * 60 { return "\(decimal(minutes / 60, 1)) h" }
        return "\(decimal(minutes / 1440, 1)) " + (language == .fr ? "j" : "days")
    }

    /// A day (`2026-03-01`) in the reader's convention: `01/03/2026` in French, ISO in English.
    public func day(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard language == .fr, parts.count == 3 else { return iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// The period a site's figures are per, with where it comes from: printed next to hour figures.
    public func period(_ period: (from: String, to: String, days: Double, source: String, short: Bool)) -> String {
        let sources = period.source.split(separator: "+").map { word("period_source_" + $0) }.joined(separator: " + ")
        var text =
            "\(word("period"))\(colon) \(day(period.from)) → \(day(period.to)) (\(decimal(period.days, 1)) \(word("days"))"
        if !sources.isEmpty { text += ", " + sources }
        text += ")"
        if period.short { text += ". " + word("short_period_note") }
        return text
    }

    /// What ranks and quartiles compare, and which peer groups are too small to have any.
    public func peersNote(_ report: PublishedReport) -> String {
        let peers = report.settings.comparison.peers
        let minimum = report.minimumPeers
        var text =
            language == .fr
            ? "Les rangs et quartiles comparent chaque site à ses pairs (\(word("peers_" + peers.rawValue))), dans les groupes d'au moins \(minimum) sites ayant une valeur ; le rang 1 est la valeur la plus haute, les égalités partagent leur rang (ex æquo)."
            : "Ranks and quartiles compare each site with its peers (\(word("peers_" + peers.rawValue))), in groups of at least \(minimum) sites with a value; rank 1 is the highest value, equal values share their rank (tied)."
        let small = report.peerGroups.filter { $0.sites < minimum }
        if !small.isEmpty {
            let list = small.map {
                "\(word("peer_" + $0.name, default: $0.name)) (\($0.sites) site\($0.sites > 1 ? "s" : ""))"
            }
            .joined(separator: ", ")
            text +=
                language == .fr
                ? " Trop peu de sites pour un rang ou un quartile : \(list). Déclarez le type de chaque site dans audit.toml ([sites.\"nom\"] type = …) ou comparez tous les sites ensemble (comparison.peers = \"all\")."
                : " Too few sites for a rank or a quartile: \(list). Declare each site's type in audit.toml ([sites.\"name\"] type = …) or compare all sites together (comparison.peers = \"all\")."
        }
        return text
    }

    /// Each figure of the report defined in one sentence, in the report's language: (id, term, definition).
    public func definitions() -> [(id: String, term: String, definition: String)] {
        Self.definitionIDs.map { id in
            let entry = Self.definitionTexts[id]!
            let text = (language == .fr ? entry.fr : entry.en).replacingOccurrences(
                of: "{authors}", with: String(minAuthorsPerProfession))
            return (id, word(id), text)
        }
    }

    static let definitionIDs = [
        "entries", "re_entries", "redundancy_rate", "multiplicity", "flows", "share_of_target_entries", "self",
        "transcription",
        "who_whom", "who_whom_staff", "profession_system_purpose", "staff_system_purpose", "by_destination_purpose",
        "purpose_flows", "lag_median", "documentation_delay_re_entries", "when_day_part", "hours_per_month_central",
        "re_entries_possible_interface_copies",
        "interface_copies", "what_if", "rank",
    ]

    static let definitionTexts: [String: (fr: String, en: String)] = [
        "who_whom": (
            "Pour chaque ressaisie, la profession de l'auteur de la saisie d'origine et celle de l'auteur de la ressaisie : qui ressaisit l'information de qui. Les professions de moins de {authors} auteurs sont regroupées, comme dans le tableau par profession.",
            "For each re-entry, the profession of the original's author and that of the re-entry's author: who retypes whose information. Professions with fewer than {authors} authors are merged, as in the table by profession."
        ),
        "who_whom_staff": (
            "Le même tableau en deux grands groupes tirés du vocabulaire des professions : soignants (infirmiers, aides-soignants, médecins, rééducateurs, pharmacie, accompagnants…) et administratifs et autres personnels (secrétariat, direction, accueil, hôtellerie, social, animation) ; un groupe de moins de {authors} auteurs est masqué.",
            "The same table in two broad groups taken from the profession vocabulary: care staff (nurses, nursing assistants, physicians, therapists, pharmacy, care workers…) and administrative and other staff (secretaries, management, reception, hospitality, social work, activities); a group with fewer than {authors} authors is hidden."
        ),
        "profession_system_purpose": (
            "Pour chaque ressaisie, la profession de son auteur, le système où elle a été saisie et la finalité déclarée de ce système : qui ressaisit, dans quoi, pour qui. Les professions de moins de {authors} auteurs sont regroupées, comme dans le tableau par profession.",
            "For each re-entry, the profession of its author, the system it was typed into and that system's declared purpose: who types again, into what, for whom. Professions with fewer than {authors} authors are merged, as in the table by profession."
        ),
        "staff_system_purpose": (
            "Le même tableau par grand groupe (soignants ; administratifs et autres personnels) : il dit encore quelque chose là où aucune profession n'a assez d'auteurs ; un groupe de moins de {authors} auteurs est masqué.",
            "The same table by broad group (care staff; administrative and other staff): it still says something where no profession has enough authors; a group with fewer than {authors} authors is hidden."
        ),
        "by_destination_purpose": (
            "Pour qui l'information est ressaisie : les saisies et ressaisies selon la finalité du système qui les reçoit, telle que l'analyste l'a déclarée dans audit.toml après les entretiens (coordination des soins, trace légale, pilotage et activité, rapports aux financeurs et tutelles, destiné au patient) ; « non déclarée » quand elle ne l'a pas été, jamais devinée.",
            "For whom information is typed again: entries and re-entries by the purpose of the system receiving them, as the analyst declared it in audit.toml after the interviews (care coordination, legal trace, management and activity reporting, reporting to funders and agencies, patient-facing); “not declared” when it was not, never guessed."
        ),
        "purpose_flows": (
            "La finalité du système de la saisie d'origine et celle du système de la ressaisie (par exemple du soin vers le pilotage).",
            "The purpose of the original's system and that of the re-entry's system (for instance from care to management)."
        ),
        "entries": (
            "Une ligne d'export : une information saisie une fois dans un système.",
            "One row of an export: a piece of information typed once in one system."
        ),
        "re_entries": (
            "Une saisie qui enregistre la même information sur la même personne qu'une saisie antérieure, dans la fenêtre ; la première saisie n'en est pas une.",
            "An entry that records the same information about the same person as an earlier one, within the window; the first entry is not one."
        ),
        "redundancy_rate": ("Les ressaisies divisées par les saisies.", "Re-entries divided by entries."),
        "multiplicity": (
            "Combien de fois la même information a été saisie : deux (doublée), trois (triplée) ou plus.",
            "How many times the same information was typed: twice, three times or more."
        ),
        "flows": (
            "Le système de la première saisie et celui de la ressaisie.",
            "The system of the first entry and that of the re-entry."
        ),
        "share_of_target_entries": (
            "Les ressaisies d'un flux divisées par les saisies du système qui les reçoit.",
            "A flow's re-entries divided by the entries of the system that receives them."
        ),
        "self": (
            "La ressaisie est faite par le professionnel de la première saisie.",
            "The re-entry is made by the professional who made the first entry."
        ),
        "transcription": (
            "La ressaisie est faite par un autre professionnel.", "The re-entry is made by another professional."
        ),
        "lag_median": (
            "Le temps entre la première saisie et la ressaisie, pour la ressaisie du milieu.",
            "The time between the first entry and the re-entry, for the middle re-entry."
        ),
        "hours_per_month_central": (
            "Le temps estimé de ressaisie (un temps fixe par ressaisie plus la frappe de son texte) rapporté à un mois de 30,44 jours de la période ; bas et haut sont d'autres hypothèses, pas un intervalle de confiance.",
            "The estimated time spent re-entering (a fixed time per re-entry plus typing its text) per month of 30.44 days of the period; low and high are other assumptions, not a confidence interval."
        ),
        "re_entries_possible_interface_copies": (
            "Les ressaisies qu'une interface aurait pu faire aussi bien (même auteur, même contenu, même jour, un des systèmes sans heure) : le nombre de ressaisies est au moins le total moins celles-ci.",
            "Re-entries an interface could as well have made (same author, content and day, one system without a time): re-entries are at least the total less these."
        ),
        "interface_copies": (
            "Les copies faites par un logiciel (même contenu et même auteur à quelques secondes d'écart) : comptées à part, pas comme ressaisies.",
            "Copies made by software (same content and author seconds apart): counted apart, not as re-entries."
        ),
        "what_if": (
            "Les heures qu'une interface économiserait en portant une catégorie d'un système à l'autre.",
            "The hours an interface would save by carrying a category from one system to the other."
        ),
        "rank": (
            "La place d'un site parmi ses pairs, 1 pour la valeur la plus haute.",
            "A site's place among its peers, 1 for the highest value."
        ),
        "documentation_delay_re_entries": (
            "Le temps entre le moment du soin (heure effective) et sa saisie, pour la saisie du milieu.",
            "The time between the care (effective time) and its typing, for the middle entry."
        ),
        "when_day_part": (
            "Les saisies et ressaisies selon l'heure de saisie, sur l'horloge du site ; une saisie datée d'un jour sans heure compte à part.",
            "Entries and re-entries by the time they were typed, on the site's clock; an entry dated with a day and no time counts apart."
        ),
    ]

    /// `word(id)`, or `fallback` when there is no translation for `id`.
    public func word(_ id: String, default fallback: String) -> String {
        Self.words[id] == nil ? fallback : word(id)
    }

    static let words: [String: (fr: String, en: String)] = [
        // Titles and sections
        "title": ("Ressaisie des données : rapport de charge de travail", "Re-entered data: workload report"),
        "all_sites": ("Ensemble des sites", "All sites"),
        "total": ("Total", "Total"),
        "period": ("Période", "Period"),
        "days": ("jours", "days"),
        "period_source_declared": ("déclarée par les exports", "declared by the exports"),
        "period_source_analyst": ("donnée par l'analyste", "given by the analyst"),
        "period_source_recorded": ("de la première à la dernière saisie", "from the first to the last entry"),
        "short_period_note": (
            "Moins de 7 jours : les heures sont données par jour et par semaine, sans extrapolation au mois.",
            "Under 7 days: hours are given per day and per week, not extrapolated to a month."
        ),
        "hours_per_day": ("Heures/jour (scénario central)", "Hours/day (central scenario)"),
        "hours_per_day_low": ("Heures/jour (scénario bas)", "Hours/day (low scenario)"),
        "hours_per_day_central": ("Heures/jour (scénario central)", "Hours/day (central scenario)"),
        "hours_per_day_high": ("Heures/jour (scénario haut)", "Hours/day (high scenario)"),
        "hours_per_week_central": ("Heures/semaine (scénario central)", "Hours/week (central scenario)"),
        "hours_per_fte_per_day": ("Heures/ETP/jour (scénario central)", "Hours/FTE/day (central scenario)"),
        "short_period": ("période < 7 jours", "period < 7 days"),
        "generated": ("Généré le", "Generated"),
        "summary": ("Synthèse", "Summary"),
        "comparison_title": ("Comparaison entre sites", "Comparison across sites"),
        "pathways_title": ("Parcours entre organisations", "Pathways across organizations"),
        "pathways_intro": (
            "Patients connus de deux sites de l'audit (même INS, sinon mêmes traits d'identité, uniques dans chaque site) et informations saisies dans le premier site puis ressaisies dans le second, dans la fenêtre du parcours ; chiffres à part, qui ne changent pas ceux de chaque site.",
            "Patients known to two sites of the audit (same INS, else the same identity traits, unique at each site) and facts typed at the first site then typed again at the second, within the pathway window; figures apart, which leave each site's unchanged."
        ),
        "pathways": ("Parcours entre sites", "Pathways between sites"),
        "pathway_categories": ("Ressaisies entre sites par catégorie", "Re-entries between sites by category"),
        "from_site": ("Site d'origine", "From site"),
        "to_site": ("Site de ressaisie", "To site"),
        "shared_patients": ("Patients partagés", "Shared patients"),
        "shared_patients_by_ins": ("Dont liés par l'INS", "Linked by INS"),
        "shared_patients_by_traits": ("Dont liés par les traits", "Linked by traits"),
        "cross_categories_title": ("Ressaisies d'une catégorie à l'autre", "Re-entries across categories"),
        "cross_categories_intro": (
            "Informations saisies dans une catégorie puis ressaisies dans une autre pour le même patient, dans la fenêtre (une transmission résumée dans un dossier administratif, un soin repris dans un rapport d'activité) ; chiffres à part, qui ne changent pas ceux de chaque catégorie.",
            "Facts typed in one category then typed again in another for the same patient, within the window (a care note summarized in an administrative record, a dressing written again in an activity report); figures apart, which leave each category's unchanged."
        ),
        "cross_categories": ("Ressaisies entre catégories", "Re-entries between categories"),
        "cross_category_purposes": (
            "Ressaisies entre catégories, par finalité", "Re-entries between categories by purpose"
        ),
        "from_category": ("Catégorie d'origine", "From category"),
        "to_category": ("Catégorie de ressaisie", "To category"),
        "purposes": ("Finalités", "Purposes"),
        "care→management": ("soin → gestion", "care → management"),
        "care→care": ("soin → soin", "care → care"),
        "management→care": ("gestion → soin", "management → care"),
        "management→management": ("gestion → gestion", "management → management"),
        "method": ("Méthode et paramètres", "Method and settings"),
        "method_intro": (
            "Deux saisies sont une ressaisie quand elles concernent le même patient (après rapprochement des identités), la même catégorie, dans la fenêtre, et disent la même chose une fois mises de côté les façons d'écrire, les mentions que les logiciels ajoutent (apprises sur les exports eux-mêmes) et la façon dont chaque système découpe l'information. Le taux de ressaisie est le nombre de ressaisies divisé par le nombre de saisies.",
            "Two entries are a re-entry when they are about the same patient (after identity linkage), in the same category, within the window, and say the same thing once the ways of writing, the phrases the software adds (learned from the exports themselves) and the way each system splits the information are set aside. The redundancy rate is re-entries divided by entries."
        ),
        "method_unreviewed": (
            "Les chiffres ci-dessous n'ont pas été relus sur un échantillon de cet audit (ressaisie review). Exactitude testée de l'outil sur des audits synthétiques aux habitudes d'écriture tirées au hasard, dont la vérité est connue : F1 médian {f1}, précision {precision}, rappel {recall}. C'est une indication sur l'outil, pas un intervalle pour ces chiffres-ci.",
            "The figures below have not been reviewed on a sample of this audit (ressaisie review). Tested accuracy of the tool on synthetic audits with writing habits drawn at random, whose truth is known: median F1 {f1}, precision {precision}, recall {recall}. This says how the tool does, not an interval for these figures."
        ),
        "method_reviewed": (
            "Les chiffres ont été relus sur site sur un échantillon aléatoire stratifié de {pairs} paires de saisies : précision {precision} ({precision_low} – {precision_high}), rappel {recall} ({recall_low} – {recall_high}), intervalles de confiance à 95 % (Wilson corrigé, strates pondérées par leur population). Les ressaisies estimées en découlent ; la relecture porte sur l'audit entier et s'applique à chaque site.",
            "The figures were reviewed on site on a stratified random sample of {pairs} pairs of entries: precision {precision} ({precision_low} – {precision_high}), recall {recall} ({recall_low} – {recall_high}), 95% confidence intervals (continuity-corrected Wilson, strata weighted by population). The estimated re-entries follow from them; the review covers the whole audit and applies to each site."
        ),
        "method_reviewed_undetermined": (
            "Un échantillon de {pairs} paires de saisies a été relu sur site, trop peu pour estimer la précision et le rappel (aucune paire regroupée relue, ou aucune vraie paire parmi elles) : les chiffres ci-dessous restent sans intervalle.",
            "A sample of {pairs} pairs of entries was reviewed on site, too few to estimate precision and recall (no grouped pair reviewed, or no true pair among them): the figures below have no interval."
        ),
        "reviewed_line": (
            "Ressaisies {count} (estimation {low} – {high} d'après {pairs} paires relues)",
            "Re-entries {count} (estimated {low} – {high} from {pairs} reviewed pairs)"
        ),
        "re_entries_estimated_low": (
            "Ressaisies estimées après relecture, borne basse (IC 95 %)",
            "Re-entries estimated from the review, lower bound (95% CI)"
        ),
        "re_entries_estimated_high": (
            "Ressaisies estimées après relecture, borne haute (IC 95 %)",
            "Re-entries estimated from the review, upper bound (95% CI)"
        ),
        "reviewed_pairs": ("Paires relues sur site", "Pairs reviewed on site"),
        "unlabelled_pairs": ("Paires tirées non relues", "Pairs drawn, not labelled"),
        "precision_estimate": (
            "Précision estimée (paires regroupées qui sont un même fait)",
            "Estimated precision (grouped pairs that are one fact)"
        ),
        "precision_low": ("Précision, borne basse (IC 95 %)", "Precision, lower bound (95% CI)"),
        "precision_high": ("Précision, borne haute (IC 95 %)", "Precision, upper bound (95% CI)"),
        "recall_estimate": (
            "Rappel estimé (vraies paires candidates regroupées)", "Estimated recall (true candidate pairs grouped)"
        ),
        "recall_low": ("Rappel, borne basse (IC 95 %)", "Recall, lower bound (95% CI)"),
        "recall_high": ("Rappel, borne haute (IC 95 %)", "Recall, upper bound (95% CI)"),
        "tested_f1": (
            "Exactitude testée de l'outil (audits synthétiques) : F1 médian",
            "Tool's tested accuracy (synthetic audits): median F1"
        ),
        "tested_precision": ("Exactitude testée de l'outil : précision", "Tool's tested accuracy: precision"),
        "tested_recall": ("Exactitude testée de l'outil : rappel", "Tool's tested accuracy: recall"),
        "links_by_ins": ("Liens par INS", "Links by INS"),
        "links_by_traits": ("Liens par traits d'identité identiques", "Links by identical traits"),
        "links_by_probability": ("Liens probabilistes", "Probabilistic links"),
        "refused_by_ins": ("Homonymes tenus séparés (INS différents)", "Homonyms kept apart (different INS)"),
        "boilerplate_phrases": ("Mentions ajoutées apprises (mises de côté)", "Added phrases learned (set aside)"),
        "routine_notes_learned": ("Notes de routine apprises", "Routine notes learned"),
        "boilerplate_sample_rows": ("Lignes lues pour l'apprentissage", "Rows read for learning"),
        "republished": ("Enregistrements réexportés (gardés une fois)", "Records exported again (kept once)"),
        "reused_record_ids": ("Identifiants réutilisés (tout gardé)", "Record ids reused (all kept)"),
        "interface_copies": ("Copies par interface (non comptées)", "Interface copies (not counted)"),
        "implausible_times": ("Dates invraisemblables (hors période)", "Implausible times (out of the period)"),
        "effective_times_stamped": (
            "Dates de soin remplies à la saisie (lues comme heures de saisie)",
            "Effective times stamped at typing (read as typing times)"
        ),
        "privacy": ("Confidentialité", "Privacy"),
        "evidence": ("Exemples expurgés (pour l'analyste)", "Redacted examples (for the analyst)"),
        "privacy_text": (
            "Aucun identifiant, nom ni texte libre. Les effectifs de 1 à {max} sont affichés « {mark} ». « × » marque une case masquée pour en protéger une autre (quelle que soit sa valeur) : un effectif qu'un total permettrait de retrouver par soustraction, un taux, une part, des heures ou un rang calculés à partir d'un effectif masqué, un groupe de trop peu d'auteurs. Les professions de moins de {authors} auteurs sont regroupées dans « autres » ; aucun chiffre par personne.",
            "No identifier, name or free text. Counts from 1 to {max} are shown as “{mark}”. “×” marks a cell hidden to protect another (whatever its value): a count a total would give back by subtraction, a rate, share, hours or rank computed from a hidden count, a group of too few authors. Professions with fewer than {authors} authors are merged into “others”; no figure is ever given per person."
        ),
        "method_text": (
            "Temps estimé = surcoût fixe par ressaisie (retrouver le patient, ouvrir le formulaire) + saisie du texte à une vitesse de frappe ; trois scénarios de coût (bas, central, haut) : des hypothèses sur ce que coûte une ressaisie, pas un intervalle de confiance.",
            "Estimated time = fixed overhead per re-entry (finding the patient, opening the form) + typing its text at a typing speed; three cost scenarios (low, central, high): assumptions about what a re-entry costs, not a confidence interval."
        ),
        "what_if_intro": (
            "Heures par mois qu'une interface économiserait si elle transportait cette catégorie d'un système à l'autre, de la plus grande économie à la plus petite.",
            "Hours per month an interface would save if it carried this category from one system to the other, largest saving first."
        ),
        "who_whom_intro": (
            "De : la profession de l'auteur de la saisie d'origine ; vers : celle de l'auteur de la ressaisie. Le tableau dit qui ressaisit l'information de qui ; il ne dit pas pourquoi. Une case d'une profession ou d'un groupe de trop peu d'auteurs est masquée (×), sauf si elle vaut 0.",
            "From: the profession of the original's author; to: that of the re-entry's author. The table says who retypes whose information; it does not say why. A cell of a profession or group with too few authors is hidden (×) unless it is 0."
        ),
        "typed_into_intro": (
            "La profession de l'auteur de la ressaisie, le système où il l'a saisie et la finalité déclarée de ce système (« non déclarée » sinon). Une ligne d'une profession ou d'un groupe de trop peu d'auteurs est masquée (×), et avec elle celles qui la redonneraient par différence.",
            "The profession of the re-entry's author, the system it was typed into and that system's declared purpose (“not declared” otherwise). A row of a profession or group with too few authors is hidden (×), and with it the rows that would give it back by subtraction."
        ),
        "destination_intro": (
            "La finalité de chaque système est celle que l'analyste a déclarée (audit.toml) ; un système sans finalité déclarée compte dans « non déclarée ».",
            "Each system's purpose is the one the analyst declared (audit.toml); a system without a declared purpose counts as “not declared”."
        ),
        "who_intro": (
            "Auto-ressaisie : la ressaisie est faite par le professionnel qui avait fait la première saisie, dans le même système ou dans un autre. Transcription : elle est faite par un autre professionnel. Le tableau décrit qui ressaisit ; il ne dit pas pourquoi.",
            "Self re-entry: the re-entry is made by the professional who made the first entry, in the same system or in another. Transcription: it is made by another professional. The table describes who re-enters; it does not say why."
        ),
        // Tables
        "overview": ("Vue d'ensemble", "Overview"),
        "by_system": ("Par système", "By system"),
        "flows": ("Flux (saisie d'origine → ressaisie)", "Flows (original → re-entry)"),
        "flow_matrix": ("Matrice des flux entre systèmes", "Flow matrix between systems"),
        "groups": ("Groupes", "Groups"),
        "by_category": ("Par catégorie", "By category"),
        "by_purpose": ("Soin ou gestion", "Care or management"),
        "by_profession": ("Par profession", "By profession"),
        "who": ("Auto-ressaisie ou transcription", "Self re-entry or transcription"),
        "who_whom": (
            "Qui ressaisit l'information de qui (profession d'origine → profession de la ressaisie)",
            "Who retypes whose information (profession of the original → of the re-entry)"
        ),
        "who_whom_staff": (
            "Qui ressaisit l'information de qui : soignants, administratifs et autres",
            "Who retypes whose information: care staff, administrative and other staff"
        ),
        "by_destination_purpose": (
            "Pour qui ressaisit-on ? (finalité du système qui reçoit)",
            "For whom is it typed again? (purpose of the receiving system)"
        ),
        "purpose_flows": (
            "Finalité d'origine → finalité de la ressaisie", "Purpose of the original → purpose of the re-entry"
        ),
        "profession_system_purpose": (
            "Qui ressaisit dans quel système, pour qui (profession de la ressaisie × système × finalité)",
            "Who types again into which system, for whom (profession of the re-entry × system × purpose)"
        ),
        "staff_system_purpose": (
            "Qui ressaisit dans quel système, pour qui : soignants, administratifs et autres",
            "Who types again into which system, for whom: care staff, administrative and other staff"
        ),
        "staff_group": ("Groupe de personnels", "Staff group"),
        "destination_purpose": ("Finalité du système", "Purpose of the system"),
        "care_staff": ("soignants", "care staff"),
        "other_staff": ("administratifs et autres personnels", "administrative and other staff"),
        "unclassified_staff": ("profession absente ou hors vocabulaire", "profession missing or not in the vocabulary"),
        "care_coordination": ("coordination des soins", "care coordination"),
        "legal_trace": ("trace légale (dossier)", "legal trace (record)"),
        "activity_reporting": ("pilotage et rapports d'activité", "management and activity reporting"),
        "funder_reporting": ("rapports aux financeurs et tutelles", "reporting to funders and agencies"),
        "patient_facing": ("destiné au patient", "patient-facing"),
        "not_declared": ("non déclarée", "not declared"),
        "lag": ("Délai entre saisie d'origine et ressaisie", "Lag between original and re-entry"),
        "what_if": ("Et si une interface existait ?", "What if an interface existed?"),
        "comparison": ("Valeurs et rangs par site", "Values and ranks per site"),
        "quartiles": ("Quartiles entre sites", "Quartiles across sites"),
        "compare_title": ("Comparaison des sites (historique)", "Sites compared (history)"),
        "latest": ("Derniers chiffres enregistrés par site", "Latest recorded figures per site"),
        "trends": ("Évolution du taux de redondance par site", "Redundancy rate over runs per site"),
        "runs": ("Analyses", "Runs"),
        "first_run": ("Première analyse", "First run"),
        "last_run": ("Dernière analyse", "Last run"),
        "last_run_at": ("Date de la dernière analyse (UTC)", "Last run (UTC)"),
        "change": ("Évolution", "Change"),
        "data_quality": ("Qualité des données", "Data quality"),
        "chart_redundancy": ("Taux de ressaisie par site", "Redundancy rate per site"),
        "chart_hours": (
            "Heures par mois selon trois scénarios de coût (bas – central – haut), pas un intervalle",
            "Hours per month under three cost scenarios (low – central – high), not an interval"
        ),
        "chart_category": ("Ressaisies par catégorie", "Re-entries by category"),
        "chart_profession": ("Ressaisies par profession", "Re-entries by profession"),
        "chart_lag": ("Distribution des délais", "Lag distribution"),
        // Columns and metrics
        "metric": ("Indicateur", "Metric"),
        "value": ("Valeur", "Value"),
        "site": ("Site", "Site"),
        "system": ("Système", "System"),
        "entries": ("Saisies", "Entries"),
        "patients": ("Patients", "Patients"),
        "patients_in_several_systems": ("Patients dans plusieurs systèmes", "Patients in several systems"),
        "authors": ("Auteurs", "Authors"),
        "identity_duplicates": ("Doublons d'identité", "Identity duplicates"),
        "re_entries": ("Ressaisies", "Re-entries"),
        "redundancy_rate": ("Taux de ressaisie", "Redundancy rate"),
        "lag_median": ("Délai médian", "Median lag"),
        "lag_p90": ("Délai 90e centile", "90th percentile lag"),
        "lag_median_minutes": ("Délai médian", "Median lag"),
        "hours_per_month": ("Heures/mois (scénario central)", "Hours/month (central scenario)"),
        "hours_per_month_low": ("Heures/mois (scénario bas)", "Hours/month (low scenario)"),
        "hours_per_month_central": ("Heures/mois (scénario central)", "Hours/month (central scenario)"),
        "hours_per_month_high": ("Heures/mois (scénario haut)", "Hours/month (high scenario)"),
        "fte": ("ETP", "FTE"),
        "hours_per_fte_per_month": ("Heures/ETP/mois (scénario central)", "Hours/FTE/month (central scenario)"),
        "cross_system_share": ("Part inter-systèmes", "Cross-system share"),
        "transcription_share": ("Part de transcription", "Transcription share"),
        "management_share": ("Part gestion", "Management share"),
        "from": ("De", "From"),
        "to": ("Vers", "To"),
        "share_of_target_entries": ("Part des saisies du système cible", "Share of target system's entries"),
        "multiplicity": ("Multiplicité", "Multiplicity"),
        "x2": ("doublée (×2)", "double (×2)"),
        "x3": ("triplée (×3)", "triple (×3)"),
        "x4_plus": ("×4 et plus", "×4 and more"),
        "category": ("Catégorie", "Category"),
        "purpose": ("Finalité", "Purpose"),
        "profession": ("Profession", "Profession"),
        "self": ("Auto-ressaisie", "Self re-entry"),
        "transcription": ("Transcription", "Transcription"),
        "author_unknown": ("Auteur inconnu", "Author unknown"),
        "share": ("Part", "Share"),
        "rank": ("Rang (1 = valeur la plus haute)", "Rank (1 = highest value)"),
        "peer_group": ("Groupe de comparaison", "Peer group"),
        "when_day_part": ("Moment de la journée (heure de saisie)", "Time of day (time typed)"),
        "when_weekday": ("Jour de la semaine (jour de saisie)", "Day of the week (day typed)"),
        "day_part": ("Moment", "Time of day"),
        "weekday": ("Jour", "Day"),
        "morning": ("matin (7 h – 14 h)", "morning (7:00–14:00)"),
        "afternoon": ("après-midi (14 h – 21 h)", "afternoon (14:00–21:00)"),
        "night": ("nuit (21 h – 7 h)", "night (21:00–7:00)"),
        "time_unknown": ("heure non enregistrée", "time not recorded"),
        "monday": ("lundi", "Monday"), "tuesday": ("mardi", "Tuesday"), "wednesday": ("mercredi", "Wednesday"),
        "thursday": ("jeudi", "Thursday"), "friday": ("vendredi", "Friday"), "saturday": ("samedi", "Saturday"),
        "sunday": ("dimanche", "Sunday"),
        "documentation_delay_originals": (
            "Délai de documentation médian, saisies d'origine", "Median documentation delay, original entries"
        ),
        "documentation_delay_re_entries": (
            "Délai de documentation médian, ressaisies", "Median documentation delay, re-entries"
        ),
        "definitions": ("Définitions", "Definitions"),
        "term": ("Terme", "Term"),
        "definition": ("Définition", "Definition"),
        "re_entries_possible_interface_copies": (
            "dont copies possibles par une interface (même auteur, même contenu, même jour, un système sans heure)",
            "of which possibly interface copies (same author, content and day, one system without a time)"
        ),
        "all_professions_merged": (
            "Toutes professions confondues (aucune n'a assez d'auteurs pour être montrée seule)",
            "All professions together (none has enough authors to be shown alone)"
        ),
        "peers_type": ("même type d'établissement", "same type of site"),
        "peers_region": ("même région", "same region"),
        "peers_vendor": ("même éditeur de logiciel", "same software vendor"),
        "peers_all": ("tous les sites", "all sites"),
        "peer_unspecified": ("type non déclaré", "type not declared"),
        "peer_all": ("tous les sites", "all sites"),
        "peer_hospital": ("hôpital", "hospital"),
        "peer_ehpad": ("EHPAD", "EHPAD"),
        "peer_msp": ("MSP", "MSP"),
        "peer_home_care": ("soins à domicile", "home care"),
        "peer_other": ("autre", "other"),
        "sites": ("Sites", "Sites"),
        "q1": ("1er quartile", "1st quartile"),
        "median": ("Médiane", "Median"),
        "q3": ("3e quartile", "3rd quartile"),
        "item": ("Élément", "Item"),
        "files": ("Fichiers", "Files"),
        "rows_read": ("Lignes lues", "Rows read"),
        "rows_rejected": ("Lignes rejetées", "Rows rejected"),
        "identity_conflicts": ("Conflits d'identité", "Identity conflicts"),
        "invalid_ins": ("INS à clé invalide (non utilisés)", "INS with a wrong check key (not used)"),
        "rejected_ragged_row": ("Rejetées : nombre de champs", "Rejected: wrong number of fields"),
        "rejected_unterminated_quote": ("Rejetées : guillemet non fermé", "Rejected: unterminated quote"),
        "rejected_malformed_quote": ("Rejetées : guillemets mal placés", "Rejected: malformed quoting"),
        "rejected_invalid_utf8": ("Rejetées : encodage invalide", "Rejected: invalid UTF-8"),
        "rejected_row_too_long": ("Rejetées : ligne trop longue", "Rejected: row too long"),
        "rejected_missing_value": ("Rejetées : valeur obligatoire absente", "Rejected: missing required value"),
        "rejected_unparseable_date": ("Rejetées : date illisible", "Rejected: unparseable date"),
        "rejected_unknown_system": ("Rejetées : système inconnu", "Rejected: unknown system"),
        "rejected_duplicate_record_id": ("Rejetées : identifiant de saisie en double", "Rejected: duplicate record id"),
        "rejected_empty_file": ("Fichiers vides", "Empty files"),
        "rejected_invalid_xml": ("Fichiers XML refusés", "Refused XML files"),
        "rejected_invalid_file": ("Fichiers illisibles comme export", "Files unreadable as exports"),
        "entries_without_patient_link": (
            "Saisies sans identité pour le rapprochement", "Entries without identity for linkage"
        ),
        "files_skipped": ("Fichiers ignorés", "Files skipped"),
        "others": ("autres", "others"),
        "unspecified": ("non renseigné", "unspecified"),
        "care": ("soin", "care"),
        "management": ("gestion", "management"),
        "lag_bucket": ("Délai", "Lag"),
        "lag_lt_1h": ("< 1 h", "< 1 h"),
        "lag_1h_4h": ("1 – 4 h", "1 – 4 h"),
        "lag_4h_24h": ("4 – 24 h", "4 – 24 h"),
        "lag_1d_3d": ("1 – 3 j", "1 – 3 days"),
        "lag_3d_7d": ("3 – 7 j", "3 – 7 days"),
        "lag_ge_7d": ("≥ 7 j", "≥ 7 days"),
        // Categories
        "vital_sign": ("constantes", "vital signs"),
        "note": ("transmissions", "notes"),
        "medication": ("médicaments", "medication"),
        "allergy": ("allergies", "allergies"),
        "diagnosis": ("diagnostics", "diagnoses"),
        "appointment": ("rendez-vous", "appointments"),
        "care_plan": ("plan de soins", "care plan"),
        "administrative": ("administratif", "administrative"),
        "activity": ("activité", "activity"),
        // Settings
        "window_hours": ("Fenêtre de recherche (heures)", "Matching window (hours)"),
        "linkage": ("Rapprochement des patients", "Patient linkage"),
        "matching": ("Détection", "Matching"),
        "scenario": ("Scénario", "Scenario"),
        "overhead_minutes": ("Surcoût par ressaisie (min)", "Overhead per re-entry (min)"),
        "words_per_minute": ("Mots par minute", "Words per minute"),
        "low": ("bas", "low"),
        "central": ("central", "central"),
        "high": ("haut", "high"),
        "group": ("Groupe", "Group"),
        "steps": ("Saisies successives", "Successive entries"),
        "words": ("mots", "words"),
        "word": ("mot", "word"),
    ]
}
