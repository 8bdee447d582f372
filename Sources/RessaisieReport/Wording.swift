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

    public init(_ language: ReportLanguage, threshold: Int = Disclosure.defaultThreshold) {
        self.language = language
        suppressedMark = "<\(threshold)"
    }

    /// The word for an id (a column, a table, a metric, a category…); the id itself when unknown.
    public func word(_ id: String) -> String {
        if let entry = Self.words[id] { return language == .fr ? entry.fr : entry.en }
        if let profession = Self.professions[id] { return language == .fr ? profession.frenchLabel : profession.englishLabel }
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
        case .rate(let value): decimal(value * 100, 1) + (language == .fr ? "\u{202F}%" : "%")
        case .hours(let value): decimal(value, abs(value) < 1 ? 2 : 1)
        case .fte(let value): decimal(value, 1)
        case .number(let value): decimal(value, 2)
        case .minutes(let value): duration(value)
        case .suppressed: suppressedMark
        case .withheld: Self.withheldMark
        case .none: "–"
        }
    }

    /// The privacy paragraph for these disclosure settings.
    public func privacyText(_ disclosure: Disclosure) -> String {
        var text = word("privacy_text")
        if !disclosure.suppressSmallCounts || disclosure.threshold <= 1 {
            text = language == .fr ? "Aucun identifiant, nom ni texte libre ; effectifs exacts (pas de masquage des petits effectifs). Les professions de moins de {authors} auteurs sont regroupées dans « autres » ; aucun chiffre par personne."
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
            return word("method_reviewed_undetermined").replacingOccurrences(of: "{pairs}", with: integer(review.reviewed))
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
        guard let count = cell("re_entries"), let low = cell("re_entries_estimated_low"), let high = cell("re_entries_estimated_high")
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

    static let words: [String: (fr: String, en: String)] = [
        // Titles and sections
        "title": ("Ressaisie des données : rapport de charge de travail", "Re-entered data: workload report"),
        "all_sites": ("Ensemble des sites", "All sites"),
        "total": ("Total", "Total"),
        "period": ("Période", "Period"),
        "days": ("jours", "days"),
        "generated": ("Généré le", "Generated"),
        "summary": ("Synthèse", "Summary"),
        "comparison_title": ("Comparaison entre sites", "Comparison across sites"),
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
        "re_entries_estimated_low": ("Ressaisies estimées après relecture, borne basse (IC 95 %)", "Re-entries estimated from the review, lower bound (95% CI)"),
        "re_entries_estimated_high": ("Ressaisies estimées après relecture, borne haute (IC 95 %)", "Re-entries estimated from the review, upper bound (95% CI)"),
        "reviewed_pairs": ("Paires relues sur site", "Pairs reviewed on site"),
        "unlabelled_pairs": ("Paires tirées non relues", "Pairs drawn, not labelled"),
        "precision_estimate": ("Précision estimée (paires regroupées qui sont un même fait)", "Estimated precision (grouped pairs that are one fact)"),
        "precision_low": ("Précision, borne basse (IC 95 %)", "Precision, lower bound (95% CI)"),
        "precision_high": ("Précision, borne haute (IC 95 %)", "Precision, upper bound (95% CI)"),
        "recall_estimate": ("Rappel estimé (vraies paires candidates regroupées)", "Estimated recall (true candidate pairs grouped)"),
        "recall_low": ("Rappel, borne basse (IC 95 %)", "Recall, lower bound (95% CI)"),
        "recall_high": ("Rappel, borne haute (IC 95 %)", "Recall, upper bound (95% CI)"),
        "tested_f1": ("Exactitude testée de l'outil (audits synthétiques) : F1 médian", "Tool's tested accuracy (synthetic audits): median F1"),
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
        "effective_times_stamped": ("Dates de soin remplies à la saisie (lues comme heures de saisie)", "Effective times stamped at typing (read as typing times)"),
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
        "who_intro": (
            "Auto-ressaisie : le même professionnel saisit à nouveau dans un autre système (coût d'outillage). Transcription : un collègue ressaisit l'information d'un autre pour son propre système (coût de coordination).",
            "Self re-entry: the same professional types it again in another system (a tooling cost). Transcription: a colleague retypes someone else's information for their own system (a coordination cost)."
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
        "lag": ("Délai entre saisie d'origine et ressaisie", "Lag between original and re-entry"),
        "what_if": ("Et si une interface existait ?", "What if an interface existed?"),
        "comparison": ("Valeurs et rangs par site", "Values and ranks per site"),
        "quartiles": ("Quartiles entre sites", "Quartiles across sites"),
        "data_quality": ("Qualité des données", "Data quality"),
        "chart_redundancy": ("Taux de ressaisie par site", "Redundancy rate per site"),
        "chart_hours": ("Heures par mois selon trois scénarios de coût (bas – central – haut), pas un intervalle", "Hours per month under three cost scenarios (low – central – high), not an interval"),
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
        "rank": ("Rang", "Rank"),
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
        "entries_without_patient_link": ("Saisies sans identité pour le rapprochement", "Entries without identity for linkage"),
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
