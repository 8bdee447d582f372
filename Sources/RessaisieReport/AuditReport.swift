import RessaisieCore

/// The report `ressaisie analyze` writes from one analysis, in the format asked for: every format goes
/// through the one disclosure step, text and JSON with exact counts, Markdown, HTML and CSV with the
/// disclosure's thresholds. The command line gathers the run into a `ReportInput`, calls `render`, and stages
/// what it returns; the `--groups` file is `GroupsCSV`'s.
public struct AuditReport: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, csv, markdown, html
    }

    /// A report is one document, or one file per table (`csv`).
    public enum Rendered: Sendable {
        case document(String)
        case tables([(name: String, contents: String)])
    }

    public var format: Format
    /// Language of Markdown, HTML and CSV.
    public var language: ReportLanguage
    /// Colours for a terminal (text only).
    public var color: Bool
    /// Thresholds of the published formats (text and JSON keep exact counts).
    public var disclosure: Disclosure
    /// Redacted examples of duplicate groups in the published report (`--evidence`).
    public var evidence: Bool

    public init(
        format: Format, language: ReportLanguage = .fr, color: Bool = false, disclosure: Disclosure = Disclosure(),
        evidence: Bool = false
    ) {
        self.format = format
        self.language = language
        self.color = color
        self.disclosure = disclosure
        self.evidence = evidence
    }

    /// The report of `input`; `groups` and `store` give the evidence examples.
    public func render(_ input: ReportInput, groups: [DuplicateGroup], store: EntryStore) -> Rendered {
        switch format {
        case .text:
            .document(TextReport.render(input, color: color, published: published(input, groups: groups, store: store)))
        case .json: .document(JSONReport.render(input, published: published(input, groups: groups, store: store)))
        case .markdown:
            .document(MarkdownReport.render(published(input, groups: groups, store: store), language: language))
        case .html: .document(HTMLReport.render(published(input, groups: groups, store: store), language: language))
        case .csv: .tables(TablesCSV.render(published(input, groups: groups, store: store), language: language))
        }
    }

    /// The figures as published: through the disclosure step (exact counts for text and JSON), with the
    /// evidence.
    private func published(_ input: ReportInput, groups: [DuplicateGroup], store: EntryStore) -> PublishedReport {
        let examples = evidence ? EvidenceExample.examples(groups: groups, store: store) : []
        return PublishedReport(
            input, disclosure: format == .text || format == .json ? disclosure.exactCounts : disclosure,
            evidence: examples)
    }
}
