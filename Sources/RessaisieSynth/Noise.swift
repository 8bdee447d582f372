import Foundation

/// How a professional re-types what they read elsewhere: the same fact, written another way. Each
/// function returns nil when it does not apply to the content.
enum Noise {
    static func kinds(for content: Content, category: Category) -> [NoiseKind] {
        var kinds: [NoiseKind] = [.caseAccentsSpacing]
        if let vital = content.vital {
            kinds.append(.labelVariant)
            if !SynthVocabulary.vitals[vital].unitVariants.isEmpty { kinds.append(.unitVariant) }
            if content.value.contains("/") { kinds.append(.bloodPressureFormat) } else { kinds.append(.decimalFormat) }
            return kinds
        }
        if category == .medication || category == .activity, !content.value.isEmpty { kinds.append(.decimalFormat) }
        let words = content.text.split(separator: " ")
        if !content.text.isEmpty, category != .medication {
            kinds.append(.copyPrefix)
            if SynthVocabulary.abbreviations.contains(where: { content.text.contains($0.0) }) {
                kinds.append(.abbreviation)
            }
            if words.contains(where: { $0.count >= 5 }) { kinds.append(.typo) }
            if words.count >= 6 { kinds.append(.truncation) }
        }
        return kinds
    }

    /// `content` re-typed with the `kind` of noise. `xml`: the copy goes to an XML export (no decimal comma).
    static func apply(
        _ kind: NoiseKind, to content: Content, origin: SynthSystem, xml: Bool, rng: inout SeededGenerator
    ) -> Content {
        var copy = content
        switch kind {
        case .labelVariant:
            copy.label = rng.pick(SynthVocabulary.vitals[content.vital!].labelVariants)
        case .unitVariant:
            copy.unit = rng.pick(SynthVocabulary.vitals[content.vital!].unitVariants)
        case .decimalFormat:
            copy.value = decimalVariant(content.value, xml: xml, rng: &rng)
        case .bloodPressureFormat:
            let parts = content.value.split(separator: "/").compactMap { Int($0) }
            if parts.count == 2, parts[0] % 10 == 0, parts[1] % 10 == 0, rng.chance(0.5) {
                copy.value = "\(parts[0] / 10)/\(parts[1] / 10)"
            } else {
                copy.value = content.value.replacingOccurrences(of: "/", with: rng.pick([" / ", "/ ", " /"]))
            }
        case .caseAccentsSpacing:
            let useText = !content.text.isEmpty && rng.chance(0.7)
            let source = useText ? content.text : content.label
            let changed: String
            switch rng.int(0...2) {
            case 0: changed = source.uppercased()
            case 1: changed = source.folding(options: .diacriticInsensitive, locale: nil).lowercased()
            default:
                var spaced = source.replacingOccurrences(of: " ", with: "  ")
                if rng.chance(0.5) { spaced = " " + spaced }
                changed = spaced + " "
            }
            if useText { copy.text = changed } else { copy.label = changed }
        case .abbreviation:
            var text = content.text
            var done = 0
            for (word, short) in SynthVocabulary.abbreviations where text.contains(word) {
                text = text.replacingOccurrences(of: word, with: short)
                done += 1
                if done == 2 { break }
            }
            copy.text = text
        case .typo:
            copy.text = typo(in: content.text, rng: &rng)
        case .truncation:
            let words = content.text.split(separator: " ")
            let kept = max(3, Int((Double(words.count) * 0.7).rounded(.up)))
            copy.text = words.prefix(kept).joined(separator: " ")
        case .copyPrefix:
            let prefix = rng.pick(SynthVocabulary.copyPrefixes)
                .replacingOccurrences(of: "DPI", with: origin.rawValue)
                .replacingOccurrences(of: "DUI", with: origin.rawValue)
            copy.text = prefix + content.text
        }
        return copy
    }

    /// 37.5 → 37,5 or 37.50; 80 → 80.0 (80,0 in CSV).
    static func decimalVariant(_ value: String, xml: Bool, rng: inout SeededGenerator) -> String {
        if value.contains(".") {
            if !xml && rng.chance(0.5) { return value.replacingOccurrences(of: ".", with: ",") }
            return value + "0"
        }
        return value + (xml || rng.chance(0.5) ? ".0" : ",0")
    }

    /// One substitution, transposition or deletion inside a word of five letters or more.
    static func typo(in text: String, rng: inout SeededGenerator) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map { Array($0) }
        let candidates = words.indices.filter { words[$0].count >= 5 && words[$0].allSatisfy(\.isLetter) }
        guard let index = candidates.isEmpty ? nil : rng.pick(candidates) else { return text }
        var word = words[index]
        let position = rng.int(1...(word.count - 2))
        switch rng.int(0...2) {
        case 0:
            let letters = Array("aeioulnrst")
            var replacement = rng.pick(letters)
            if replacement == word[position] { replacement = replacement == "e" ? "a" : "e" }
            word[position] = replacement
        case 1:
            if word[position] == word[position + 1] {
                word.remove(at: position)
            } else {
                word.swapAt(position, position + 1)
            }
        default:
            word.remove(at: position)
        }
        words[index] = word
        return words.map { String($0) }.joined(separator: " ")
    }
}
