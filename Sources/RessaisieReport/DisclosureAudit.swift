import RessaisieCore

/// The last step of disclosure: an attacker with the whole published report recomputes hidden cells from
/// every relation between published numbers (a column and its total, flows into a system and its
/// re-entries, what-if rows and their flow, categories and their purpose, professions and the who table,
/// sites and the totals, a rate and its two counts, a share compared across sites), to a fixed point. While
/// a small count comes back, a cell it came back through is hidden too (`×`), and the attack runs again.
///
/// Why: each table's own secondary suppression cannot see the others; a flow hidden in one table may be
/// given back by the system's re-entries shown in another, and a site's hidden cell by the total minus
/// the other sites. Hours are left out of the attack: they depend on the words typed, not on counts alone.
enum DisclosureAudit {
    /// A cell of the report: `site` indexes `sites` (`sites.count` is the totals, -1 the comparison).
    struct Ref: Hashable {
        var site: Int
        var table: String
        var row: Int
        var column: Int
    }

    enum Equation {
        case sum(total: Ref, parts: [Ref])
        case ratio(rate: Ref, numerator: Ref, denominator: Ref)

        var terms: [Ref] {
            switch self {
            case .sum(let total, let parts): [total] + parts
            case .ratio(let rate, let numerator, let denominator): [rate, numerator, denominator]
            }
        }
    }

    /// Hides cells until no small count can be recomputed (at most `limit` rounds).
    static func enforce(_ report: inout PublishedReport, limit: Int = 500) {
        // Withholding a cell changes values, not the tables' rows and columns: the equations stay.
        let equations = self.equations(report)
        for _ in 0..<limit {
            let attack = Attack(report: report, equations: equations)
            guard let leak = attack.leaks.first else { return }
            guard let ref = attack.blocker(for: leak) else { return }
            withhold(ref, in: &report)
        }
    }

    /// Small counts the published numbers give back (for tests).
    static func leaks(_ report: PublishedReport) -> [Ref] {
        Attack(report: report, equations: equations(report)).leaks
    }

    // MARK: Cells

    static func table(_ report: PublishedReport, _ site: Int, _ id: String) -> PublishedTable? {
        if site < 0 {
            switch id {
            case "comparison": return report.comparison
            case "pathways": return report.pathways
            case "pathway_categories": return report.pathwayCategories
            case "cross_categories": return report.crossCategories
            case "cross_category_purposes": return report.crossCategoryPurposes
            default: return nil
            }
        }
        return (site < report.sites.count ? report.sites[site] : report.totals).table(id)
    }

    static func cell(_ report: PublishedReport, _ ref: Ref) -> Cell? {
        guard let table = table(report, ref.site, ref.table) else { return nil }
        let row = ref.row < table.rows.count ? table.rows[ref.row] : (ref.row == table.rows.count ? table.total : nil)
        guard let row, ref.column < row.count else { return nil }
        return row[ref.column]
    }

    /// True for a withheld count of a row hidden for too few authors (`PublishedTable.protectedRows`).
    static func isProtected(_ report: PublishedReport, _ ref: Ref) -> Bool {
        guard let table = table(report, ref.site, ref.table), table.protectedRows.contains(ref.row) else {
            return false
        }
        return cell(report, ref) == .withheld
    }

    /// Hides a cell, and the cells computed from it in its row.
    static func withhold(_ ref: Ref, in report: inout PublishedReport) {
        func apply(_ table: inout PublishedTable) {
            func hide(_ row: inout [Cell]) {
                row[ref.column] = .withheld
                for (column, definition) in table.columns.enumerated() where definition.basis.contains(ref.column) {
                    if row[column] != .none { row[column] = .withheld }
                }
            }
            if ref.row < table.rows.count {
                hide(&table.rows[ref.row])
            } else if table.total != nil {
                hide(&table.total!)
            }
            // The review's range of a hidden count would give it back (within the review's factor).
            if table.id == "overview", ref.row < table.rows.count, table.rows[ref.row].first == .label("re_entries") {
                for row in table.rows.indices
                where [.label("re_entries_estimated_low"), .label("re_entries_estimated_high")].contains(
                    table.rows[row].first)
                {
                    table.rows[row][1] = .withheld
                }
            }
        }
        if ref.site < 0, ref.table == "pathways" {
            apply(&report.pathways)
            return
        }
        if ref.site < 0, ref.table == "pathway_categories" {
            apply(&report.pathwayCategories)
            return
        }
        if ref.site < 0, ref.table == "cross_categories" {
            apply(&report.crossCategories)
            return
        }
        if ref.site < 0, ref.table == "cross_category_purposes" {
            apply(&report.crossCategoryPurposes)
            return
        }
        if ref.site < 0 {
            apply(&report.comparison)
            // The quartiles of that metric would give the value back.
            if case .label(let metric) = report.comparison.rows[ref.row][1] {
                for row in report.quartiles.rows.indices where report.quartiles.rows[row][1] == .label(metric) {
                    for column in 3..<report.quartiles.rows[row].count {
                        report.quartiles.rows[row][column] = .withheld
                    }
                }
            }
            return
        }
        if ref.site < report.sites.count {
            guard let index = report.sites[ref.site].tables.firstIndex(where: { $0.id == ref.table }) else { return }
            apply(&report.sites[ref.site].tables[index])
            withholdDestinations(of: ref, in: &report)
        } else {
            guard let index = report.totals.tables.firstIndex(where: { $0.id == ref.table }) else { return }
            apply(&report.totals.tables[index])
        }
    }

    /// A site's system or flow withheld: the purpose (or pair of purposes) that regroups it is withheld too, at
    /// the site and in the totals, as `PublishedReport.destinationTables` hides them at first (a purpose of one
    /// system is that system's figure; the totals' purpose less the other sites' would give it back).
    static func withholdDestinations(of ref: Ref, in report: inout PublishedReport) {
        guard ["by_system", "flows"].contains(ref.table), ref.site >= 0, ref.site < report.sites.count,
            let source = table(report, ref.site, ref.table), ref.row < source.rows.count
        else { return }
        let column = source.columns[ref.column].id
        guard ["entries", "re_entries"].contains(column) else { return }
        let profile = report.settings.siteProfiles[report.sites[ref.site].name] ?? SiteProfile()
        func purpose(_ cell: Cell) -> Cell? {
            guard case .label(let name) = cell else { return nil }
            return .label(profile.purpose(ofSystemNamed: name).name)
        }
        let cells = source.rows[ref.row]
        let (id, key): (String, [Cell?]) =
            ref.table == "by_system"
            ? ("by_destination_purpose", [purpose(cells[0])])
            : ("purpose_flows", [purpose(cells[0]), purpose(cells[1])])
        for site in [ref.site, report.sites.count] {
            guard let target = table(report, site, id), let c = target.column(column),
                let row = target.rows.firstIndex(where: { Array($0.prefix(key.count)).map(Optional.some) == key }),
                target.rows[row][c].number != nil
            else { continue }
            withhold(Ref(site: site, table: id, row: row, column: c), in: &report)
        }
    }

    // MARK: Relations

    /// Every relation between published numbers an attacker could use, gathered by family (`Relations`).
    static func equations(_ report: PublishedReport) -> [Equation] {
        var relations = Relations(report: report)
        for site in 0...report.sites.count {
            relations.columnsAndRates(site)
            guard let re = relations.overview(site, "re_entries"), let entries = relations.overview(site, "entries")
            else { continue }
            relations.tableTotals(site, re: re, entries: entries)
            relations.whoAndProfessions(site, re: re)
            relations.flowsAndWhatIf(site)
            relations.categoriesAndPurposes(site)
            relations.whoWhom(site)
            relations.destinations(site)
            relations.typedInto(site)
        }
        relations.sitesToTotals()
        relations.comparedValues()
        relations.pathways()
        relations.crossCategories()
        return relations.equations
    }

    /// The equations of one report, and how to find its cells.
    struct Relations {
        let report: PublishedReport
        var equations: [Equation] = []
        var siteCount: Int { report.sites.count }

        init(report: PublishedReport) { self.report = report }

        func table(_ site: Int, _ id: String) -> PublishedTable? { DisclosureAudit.table(report, site, id) }

        func totalRef(_ site: Int, _ id: String, _ column: String) -> Ref? {
            guard let table = table(site, id), table.total != nil, let c = table.column(column) else { return nil }
            return Ref(site: site, table: id, row: table.rows.count, column: c)
        }

        func overview(_ site: Int, _ metric: String) -> Ref? {
            guard let table = table(site, "overview"),
                let row = table.rows.firstIndex(where: { $0.first == .label(metric) })
            else { return nil }
            return Ref(site: site, table: "overview", row: row, column: 1)
        }

        func find(_ site: Int, _ id: String, first: Cell, column: String) -> Ref? {
            guard let table = table(site, id), let c = table.column(column),
                let row = table.rows.firstIndex(where: { $0.first == first })
            else { return nil }
            return Ref(site: site, table: id, row: row, column: c)
        }

        /// The refs of column `column` of the rows of table `id` that `keep` selects.
        func column(_ site: Int, _ id: String, _ column: String, where keep: ([Cell]) -> Bool) -> [Ref] {
            guard let table = table(site, id), let c = table.column(column) else { return [] }
            return table.rows.indices.filter { keep(table.rows[$0]) }.map {
                Ref(site: site, table: id, row: $0, column: c)
            }
        }

        /// Columns adding up to their total row; rates of a row (redundancy = re-entries ÷ entries).
        mutating func columnsAndRates(_ site: Int) {
            for table in (site < siteCount ? report.sites[site] : report.totals).tables where table.total != nil {
                for (c, column) in table.columns.enumerated() where column.additive {
                    equations.append(
                        .sum(
                            total: Ref(site: site, table: table.id, row: table.rows.count, column: c),
                            parts: table.rows.indices.map { Ref(site: site, table: table.id, row: $0, column: c) }))
                }
                if let rate = table.column("redundancy_rate"), let re = table.column("re_entries"),
                    let entries = table.column("entries")
                {
                    for row in 0...table.rows.count {
                        equations.append(
                            .ratio(
                                rate: Ref(site: site, table: table.id, row: row, column: rate),
                                numerator: Ref(site: site, table: table.id, row: row, column: re),
                                denominator: Ref(site: site, table: table.id, row: row, column: entries)))
                    }
                }
            }
        }

        /// The overview's rate, and every table's total: the site's re-entries (and entries).
        mutating func tableTotals(_ site: Int, re: Ref, entries: Ref) {
            if let rate = overview(site, "redundancy_rate") {
                equations.append(.ratio(rate: rate, numerator: re, denominator: entries))
            }
            for id in [
                "by_system", "flows", "by_category", "by_purpose", "who", "lag", "by_profession", "when_day_part",
                "when_weekday", "who_whom", "who_whom_staff", "by_destination_purpose", "purpose_flows",
                "profession_system_purpose", "staff_system_purpose",
            ] {
                if let total = totalRef(site, id, "re_entries") { equations.append(.sum(total: re, parts: [total])) }
            }
            for id in [
                "by_system", "by_category", "by_purpose", "by_profession", "when_day_part", "when_weekday",
                "by_destination_purpose",
            ] {
                if let total = totalRef(site, id, "entries") { equations.append(.sum(total: entries, parts: [total])) }
            }
        }

        /// Who: shares of the re-entries; self and transcription are the professions' sums.
        mutating func whoAndProfessions(_ site: Int, re: Ref) {
            if let who = table(site, "who"), let share = who.column("share") {
                for row in who.rows.indices {
                    equations.append(
                        .ratio(
                            rate: Ref(site: site, table: "who", row: row, column: share),
                            numerator: Ref(site: site, table: "who", row: row, column: 1), denominator: re))
                }
            }
            guard let professions = table(site, "by_profession") else { return }
            for name in ["self", "transcription"] {
                guard let whoRef = find(site, "who", first: .label(name), column: "re_entries"),
                    professions.column(name) != nil
                else { continue }
                equations.append(.sum(total: whoRef, parts: column(site, "by_profession", name) { _ in true }))
            }
        }

        /// Flows into a system add up to its re-entries, their share is of its entries; what-if rows of a
        /// cross-system flow add up to it.
        mutating func flowsAndWhatIf(_ site: Int) {
            guard let flows = table(site, "flows"), let systems = table(site, "by_system") else { return }
            let flowRe = flows.column("re_entries")!, share = flows.column("share_of_target_entries")!
            for (row, cells) in systems.rows.enumerated() {
                let into = flows.rows.indices.filter { flows.rows[$0][1] == cells[0] }
                equations.append(
                    .sum(
                        total: Ref(site: site, table: "by_system", row: row, column: systems.column("re_entries")!),
                        parts: into.map { Ref(site: site, table: "flows", row: $0, column: flowRe) }))
                for flow in into {
                    equations.append(
                        .ratio(
                            rate: Ref(site: site, table: "flows", row: flow, column: share),
                            numerator: Ref(site: site, table: "flows", row: flow, column: flowRe),
                            denominator: Ref(
                                site: site, table: "by_system", row: row, column: systems.column("entries")!)))
                }
            }
            guard let whatIf = table(site, "what_if"), let column = whatIf.column("re_entries") else { return }
            for (row, cells) in flows.rows.enumerated() where cells[0] != cells[1] {
                let parts = whatIf.rows.indices.filter {
                    whatIf.rows[$0][1] == cells[0] && whatIf.rows[$0][2] == cells[1]
                }
                guard !parts.isEmpty else { continue }
                equations.append(
                    .sum(
                        total: Ref(site: site, table: "flows", row: row, column: flowRe),
                        parts: parts.map { Ref(site: site, table: "what_if", row: $0, column: column) }))
            }
        }

        /// Categories of a purpose add up to it.
        mutating func categoriesAndPurposes(_ site: Int) {
            guard let categories = table(site, "by_category") else { return }
            for purpose in Purpose.allCases {
                for column in ["entries", "re_entries"] {
                    guard let total = find(site, "by_purpose", first: .label(purpose.name), column: column) else {
                        continue
                    }
                    let parts = self.column(site, "by_category", column) { cells in
                        if case .label(let id) = cells[0] { return Category.purpose(of: id) == purpose }
                        return false
                    }
                    if categories.column(column) != nil { equations.append(.sum(total: total, parts: parts)) }
                }
            }
        }

        /// Who retypes whose information. Re-entries into a profession add up to its re-entries in
        /// by_profession (both merge small professions alike). A profession or staff group hidden for too few
        /// authors has two figures no one may recompute: the re-entries of what it typed first, and the
        /// re-entries it typed (virtual secret cells, `~` tables). A staff pair is the sum of its professions'
        /// pairs where every profession row belongs to one group (no "others" mixing them).
        mutating func whoWhom(_ site: Int) {
            guard let pairs = table(site, "who_whom"), let professions = table(site, "by_profession") else { return }
            for (row, cells) in professions.rows.enumerated() {
                let into = column(site, "who_whom", "re_entries") { $0[1] == cells[0] }
                guard !into.isEmpty, let c = professions.column("re_entries") else { continue }
                equations.append(.sum(total: Ref(site: site, table: "by_profession", row: row, column: c), parts: into))
            }
            // A hidden group's figures, when one of their terms is withheld (0 everywhere is shown as 0): what it
            // typed first and was typed again, what it typed again, and every re-entry it took part in; each the
            // sum of its pairs, and the table's total less the other pairs.
            for id in ["who_whom", "who_whom_staff"] {
                guard let table = table(site, id), let total = totalRef(site, id, "re_entries") else { continue }
                for (index, name) in table.hiddenGroups.enumerated() {
                    let sides: [([Cell]) -> Bool] = [
                        { $0[0] == name }, { $0[1] == name }, { $0[0] == name || $0[1] == name },
                    ]
                    for (side, belongs) in sides.enumerated() {
                        let parts = column(site, id, "re_entries", where: belongs)
                        guard parts.contains(where: { table.protectedRows.contains($0.row) }) else { continue }
                        let figure = Ref(site: site, table: "~" + id, row: index, column: side)
                        equations.append(.sum(total: figure, parts: parts))
                        let rest = column(site, id, "re_entries") { !belongs($0) }
                        equations.append(.sum(total: total, parts: rest + [figure]))
                        // What it typed again is its re-entries in the profession table.
                        if id == "who_whom", side == 1,
                            let shown = find(site, "by_profession", first: name, column: "re_entries")
                        {
                            equations.append(.sum(total: figure, parts: [shown]))
                        }
                    }
                }
            }
            // Staff pairs from profession pairs, when every profession row names one staff group.
            func group(_ cell: Cell) -> StaffGroup? {
                switch cell {
                case .label(let id) where id == Disclosure.othersProfession || id == "all_professions_merged": nil
                case .label(let id): Vocabulary.staffGroup(ofProfession: id)
                case .text: .unclassified
                default: nil
                }
            }
            guard let staff = table(site, "who_whom_staff"), pairs.rows.allSatisfy({ group($0[0]) != nil }) else {
                return
            }
            for (row, cells) in staff.rows.enumerated() {
                let parts = column(site, "who_whom", "re_entries") {
                    group($0[0]).map { .label($0.name) } == cells[0] && group($0[1]).map { .label($0.name) } == cells[1]
                }
                equations.append(
                    .sum(total: Ref(site: site, table: "who_whom_staff", row: row, column: 2), parts: parts))
            }
        }

        /// For whom it is typed again: a destination purpose adds up its systems (by_system), a pair of purposes
        /// its flows, as the site's declarations map systems to purposes (per site: not the totals, whose
        /// systems have a purpose per site).
        mutating func destinations(_ site: Int) {
            guard site < siteCount, table(site, "by_destination_purpose") != nil else { return }
            let profile = report.settings.siteProfiles[report.sites[site].name] ?? SiteProfile()
            func purpose(_ cell: Cell) -> Cell? {
                guard case .label(let name) = cell else { return nil }
                return .label(profile.purpose(ofSystemNamed: name).name)
            }
            for (row, cells) in (table(site, "by_destination_purpose")?.rows ?? []).enumerated() {
                for name in ["entries", "re_entries"] {
                    guard let c = table(site, "by_destination_purpose")?.column(name) else { continue }
                    equations.append(
                        .sum(
                            total: Ref(site: site, table: "by_destination_purpose", row: row, column: c),
                            parts: column(site, "by_system", name) { purpose($0[0]) == cells[0] }))
                }
            }
            for (row, cells) in (table(site, "purpose_flows")?.rows ?? []).enumerated() {
                equations.append(
                    .sum(
                        total: Ref(site: site, table: "purpose_flows", row: row, column: 2),
                        parts: column(site, "flows", "re_entries") {
                            purpose($0[0]) == cells[0] && purpose($0[1]) == cells[1]
                        }))
            }
        }

        /// A figure no table shows but two relations share (the re-entries a staff group typed, from two
        /// tables): unknown to the attacker until one relation gives it, never a secret.
        func intermediate(_ site: Int, _ name: String, _ index: Int) -> Ref {
            Ref(site: site, table: "=" + name, row: index, column: 0)
        }

        /// Who types again, into what, for whom (`profession_system_purpose`, `staff_system_purpose`): the rows of
        /// one profession add up to its re-entries (by_profession), of a staff group to what it typed again
        /// (who_whom_staff, into it), of one system to its re-entries (by_system), of one purpose to its
        /// re-entries (by_destination_purpose); a staff row is the sum of its professions' rows where every
        /// profession row names one staff group. A group hidden for too few authors: what it typed again is the
        /// virtual secret of who_whom (or who_whom_staff), the sum of its rows and the total less the others.
        mutating func typedInto(_ site: Int) {
            for (id, pairs) in [("profession_system_purpose", "who_whom"), ("staff_system_purpose", "who_whom_staff")] {
                guard let published = table(site, id), let total = totalRef(site, id, "re_entries") else { continue }
                for (shown, key) in [("by_system", 1), ("by_destination_purpose", 2)] {
                    guard let source = table(site, shown), let c = source.column("re_entries") else { continue }
                    for (row, cells) in source.rows.enumerated() {
                        let parts = column(site, id, "re_entries") { $0[key] == cells[0] }
                        guard !parts.isEmpty else { continue }
                        equations.append(.sum(total: Ref(site: site, table: shown, row: row, column: c), parts: parts))
                    }
                }
                if id == "profession_system_purpose", let professions = table(site, "by_profession"),
                    let c = professions.column("re_entries")
                {
                    for (row, cells) in professions.rows.enumerated() {
                        let parts = column(site, id, "re_entries") { $0[0] == cells[0] }
                        guard !parts.isEmpty else { continue }
                        equations.append(
                            .sum(total: Ref(site: site, table: "by_profession", row: row, column: c), parts: parts))
                    }
                }
                if id == "staff_system_purpose", let staff = table(site, pairs) {
                    for (index, group) in StaffGroup.allCases.enumerated() {
                        let typed = intermediate(site, "typed_by_staff_group", index)
                        equations.append(
                            .sum(total: typed, parts: column(site, id, "re_entries") { $0[0] == .label(group.name) }))
                        let into = column(site, pairs, "re_entries") { $0[1] == .label(group.name) }
                        if !staff.rows.isEmpty { equations.append(.sum(total: typed, parts: into)) }
                    }
                }
                let hiddenInPairs = table(site, pairs)?.hiddenGroups ?? []
                for name in published.hiddenGroups {
                    let parts = column(site, id, "re_entries") { $0[0] == name }
                    guard parts.contains(where: { published.protectedRows.contains($0.row) }) else { continue }
                    let figure =
                        hiddenInPairs.firstIndex(of: name).map {
                            Ref(site: site, table: "~" + pairs, row: $0, column: 1)
                        }
                        ?? Ref(
                            site: site, table: "~" + id, row: published.hiddenGroups.firstIndex(of: name)!, column: 0)
                    equations.append(.sum(total: figure, parts: parts))
                    equations.append(
                        .sum(total: total, parts: column(site, id, "re_entries") { $0[0] != name } + [figure]))
                }
            }
            staffFromProfessions(site)
        }

        /// A staff row (group, system, purpose) is the sum of the profession rows of that group, system and
        /// purpose, when every profession row names one staff group (no "others" mixing them).
        mutating func staffFromProfessions(_ site: Int) {
            guard let professions = table(site, "profession_system_purpose"),
                let staff = table(site, "staff_system_purpose"),
                professions.rows.allSatisfy({ DisclosureAudit.staffGroup(of: $0[0]) != nil })
            else { return }
            for (row, cells) in staff.rows.enumerated() {
                let parts = column(site, "profession_system_purpose", "re_entries") {
                    DisclosureAudit.staffGroup(of: $0[0]).map { .label($0.name) } == cells[0] && $0[1] == cells[1]
                        && $0[2] == cells[2]
                }
                equations.append(
                    .sum(total: Ref(site: site, table: "staff_system_purpose", row: row, column: 3), parts: parts))
            }
        }

        /// Sites add up to the totals, row by row (not professions nor their pairs: each site merges its own
        /// small ones).
        mutating func sitesToTotals() {
            for table in report.totals.tables
            where !["by_profession", "who_whom", "profession_system_purpose"].contains(table.id) {
                let totalRows = table.rows + (table.total.map { [$0] } ?? [])
                for (row, cells) in totalRows.enumerated() {
                    let rowKey = PublishedTable.key(cells)
                    let columns =
                        table.id == "overview"
                        ? (["entries", "re_entries", "patients"].contains { cells.first == .label($0) } ? [1] : [])
                        : table.columns.indices.filter { table.columns[$0].additive }
                    for column in columns {
                        var parts: [Ref] = []
                        var complete = true
                        for site in 0..<siteCount {
                            guard let siteTable = report.sites[site].table(table.id) else { continue }
                            let siteRows = siteTable.rows + (siteTable.total.map { [$0] } ?? [])
                            let matches = siteRows.indices.filter { PublishedTable.key(siteRows[$0]) == rowKey }
                            if matches.count > 1 { complete = false }
                            if let match = matches.first {
                                parts.append(Ref(site: site, table: table.id, row: match, column: column))
                            }
                        }
                        if complete {
                            equations.append(
                                .sum(
                                    total: Ref(site: siteCount, table: table.id, row: row, column: column), parts: parts
                                ))
                        }
                    }
                }
            }
        }

        /// Across organizations (audit-level tables, `site` -1): each table's re-entries add up to its total, a
        /// pair's categories to the pair's re-entries, a pair's patients shared by INS and by traits to its shared
        /// patients.
        mutating func pathways() {
            for id in ["pathways", "pathway_categories"] {
                guard let table = table(-1, id), let c = table.column("re_entries") else { continue }
                equations.append(
                    .sum(
                        total: Ref(site: -1, table: id, row: table.rows.count, column: c),
                        parts: table.rows.indices.map { Ref(site: -1, table: id, row: $0, column: c) }))
            }
            guard let pairs = table(-1, "pathways") else { return }
            for (row, cells) in pairs.rows.enumerated() {
                equations.append(
                    .sum(
                        total: Ref(site: -1, table: "pathways", row: row, column: 5),
                        parts: column(-1, "pathway_categories", "re_entries") {
                            $0[0] == cells[0] && $0[1] == cells[1]
                        }))
                equations.append(
                    .sum(
                        total: Ref(site: -1, table: "pathways", row: row, column: 2),
                        parts: [3, 4].map { Ref(site: -1, table: "pathways", row: row, column: $0) }))
            }
        }

        /// Across categories (audit-level tables, `site` -1): each table's re-entries add up to its total, and the
        /// rows of one pair of purposes to that pair's figure.
        mutating func crossCategories() {
            for id in ["cross_categories", "cross_category_purposes"] {
                guard let table = table(-1, id), let c = table.column("re_entries") else { continue }
                equations.append(
                    .sum(
                        total: Ref(site: -1, table: id, row: table.rows.count, column: c),
                        parts: table.rows.indices.map { Ref(site: -1, table: id, row: $0, column: c) }))
            }
            guard let purposes = table(-1, "cross_category_purposes") else { return }
            for (row, cells) in purposes.rows.enumerated() {
                equations.append(
                    .sum(
                        total: Ref(site: -1, table: "cross_category_purposes", row: row, column: 1),
                        parts: column(-1, "cross_categories", "re_entries") { $0[3] == cells[0] }))
            }
        }

        /// Values compared across sites: the site's figures, or shares of its re-entries.
        mutating func comparedValues() {
            let names = report.sites.map(\.name)
            for (row, cells) in report.comparison.rows.enumerated() {
                guard case .text(let name) = cells[0], let site = names.firstIndex(of: name),
                    case .label(let metric) = cells[1],
                    let re = overview(site, "re_entries"), let entries = overview(site, "entries")
                else { continue }
                let value = Ref(site: -1, table: "comparison", row: row, column: 2)
                switch metric {
                case "re_entries": equations.append(.sum(total: re, parts: [value]))
                case "redundancy_rate": equations.append(.ratio(rate: value, numerator: re, denominator: entries))
                case "management_share":
                    if let part = find(site, "by_purpose", first: .label("management"), column: "re_entries") {
                        equations.append(.ratio(rate: value, numerator: part, denominator: re))
                    }
                case "transcription_share":
                    if let part = find(site, "who", first: .label("transcription"), column: "re_entries") {
                        equations.append(.ratio(rate: value, numerator: part, denominator: re))
                    }
                default: break
                }
            }
        }
    }

    /// The staff group of a profession row: nil for a row that merges professions ("others", all of them).
    static func staffGroup(of cell: Cell) -> StaffGroup? {
        switch cell {
        case .label(let id) where id == Disclosure.othersProfession || id == "all_professions_merged": nil
        case .label(let id): Vocabulary.staffGroup(ofProfession: id)
        case .text: .unclassified
        default: nil
        }
    }

    // MARK: The attack

    /// Tables whose rows regroup figures shown elsewhere (by profession, by system, flows): where a leak can be
    /// stopped in one of them or in what it regroups, it is stopped in them.
    static let regrouping: Set<String> = [
        "who_whom", "who_whom_staff", "by_destination_purpose", "purpose_flows", "profession_system_purpose",
        "staff_system_purpose",
    ]

    struct Attack {
        var known: [Ref: Double] = [:]
        var published = Set<Ref>()
        var secret = Set<Ref>()
        /// The equation each recomputed cell came from.
        var derivation: [Ref: Int] = [:]
        var leaks: [Ref] = []
        let equations: [Equation]

        init(report: PublishedReport, equations: [Equation]) {
            self.equations = equations
            for equation in equations {
                for ref in equation.terms where known[ref] == nil && !secret.contains(ref) {
                    // A figure no table shows, that two relations share (`Relations.intermediate`): to solve for.
                    if ref.table.hasPrefix("=") { continue }
                    // A figure about a group of too few authors: a virtual cell, or a protected row's count.
                    if ref.table.hasPrefix("~") || DisclosureAudit.isProtected(report, ref) {
                        secret.insert(ref)
                        continue
                    }
                    guard let cell = DisclosureAudit.cell(report, ref) else {
                        // A row that is not there: a flow or category of none.
                        known[ref] = 0
                        published.insert(ref)
                        continue
                    }
                    if cell == .suppressed { secret.insert(ref) }
                    if let number = cell.number {
                        known[ref] = number
                        published.insert(ref)
                    }
                }
            }
            solve()
        }

        mutating func solve() {
            var changed = true
            while changed {
                changed = false
                for (index, equation) in equations.enumerated() {
                    let unknown = equation.terms.filter { known[$0] == nil }
                    guard unknown.count == 1, let target = unknown.first else { continue }
                    var value: Double?
                    switch equation {
                    case .sum(let total, let parts):
                        let sum = parts.compactMap { known[$0] }.reduce(0, +)
                        value = target == total ? sum : known[total]! - sum
                    case .ratio(let rate, let numerator, let denominator):
                        if target == rate {
                            value = known[denominator]! > 0 ? known[numerator]! / known[denominator]! : nil
                        }
                        if target == numerator { value = (known[rate]! * known[denominator]!).rounded() }
                        if target == denominator {
                            value = known[rate]! > 0 ? (known[numerator]! / known[rate]!).rounded() : nil
                        }
                    }
                    guard let value, value.isFinite else { continue }
                    known[target] = value
                    derivation[target] = index
                    if secret.contains(target) { leaks.append(target) }
                    changed = true
                }
            }
        }

        /// A published cell to hide so that `leak` no longer comes back: one of the equation it came from,
        /// else one of the cells that equation used (recursively).
        func blocker(for leak: Ref, depth: Int = 0) -> Ref? {
            guard depth < 50, let index = derivation[leak] else { return nil }
            let equation = equations[index]
            let others = equation.terms.filter { $0 != leak }
            let shown = others.filter { published.contains($0) && (known[$0] ?? 0) != 0 }
            if case .ratio(let rate, _, _) = equation, shown.contains(rate) { return rate }
            // Cells of the tables that regroup others (pairs of professions, purposes) go before the figures
            // they regroup: hiding them costs the report less.
            func rank(_ ref: Ref) -> Int { DisclosureAudit.regrouping.contains(ref.table) ? 0 : 1 }
            func smallest(_ refs: [Ref]) -> Ref? {
                refs.min { (rank($0), known[$0] ?? 0, $0.site) < (rank($1), known[$1] ?? 0, $1.site) }
            }
            // First what revealed a term that was hidden (the leak's real path, often a rate or another
            // table); then a shown part; the total it adds up to last (a total is often a site's headline
            // figure, shown in several tables).
            if case .sum(let total, _) = equation {
                for term in others where derivation[term] != nil {
                    if let ref = blocker(for: term, depth: depth + 1) { return ref }
                }
                if let part = smallest(shown.filter { $0 != total }) { return part }
                return shown.contains(total) ? total : nil
            }
            if let ref = smallest(shown) { return ref }
            for other in others where derivation[other] != nil {
                if let ref = blocker(for: other, depth: depth + 1) { return ref }
            }
            return nil
        }
    }
}
