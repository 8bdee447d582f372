import Foundation
import RessaisieCore

/// An export file found on the command line, with what its place in the folders says about it.
public struct InputFile: Sendable, Equatable {
    /// The path as found (the root given on the command line joined with the path below it).
    public var path: String
    /// Site from the folder: the folder just under the input root, or the root's own name for files
    /// directly in it, or the parent folder's name for a file given directly.
    public var site: String
    /// System from the file name, else the nearest folder name: `dpi`, `dui` or `sip`, or the name of a
    /// system declared in `audit.toml`, as whole words or a prefix (`DPI_export.csv`, `dui-2026-03.csv`,
    /// `sip/`, `cahier-2026-03.csv`), any case.
    public var system: InformationSystem?

    /// True for an XML export (read by `XMLExportReader`), false for CSV.
    public var isXML: Bool { (path as NSString).pathExtension.lowercased() == "xml" }

    public init(path: String, site: String, system: InformationSystem?) {
        self.path = path
        self.site = site
        self.system = system
    }
}

/// Finds export files under the paths given, recursively, in a stable order.
public enum InputDiscovery {
    /// File endings read as exports.
    public static let exportExtensions: Set<String> = ["csv", "xml"]
    /// The ground truth `ressaisie synth` writes beside its exports: not exports, skipped in folders (they
    /// were read as exports and rejected, which put two invalid files in a synthetic audit's data quality).
    public static let groundTruthNames: Set<String> = ["truth.csv", "truth-pathways.csv", "truth-cross-category.csv"]

    public struct Result: Sendable {
        public var files: [InputFile]
        /// Files under the folders that are not exports (other endings); hidden files are not counted.
        public var skipped: Int
    }

    /// The export files under `paths`; `systems`: the declared systems, recognized in file and folder names
    /// as `dpi`, `dui` and `sip` are.
    public static func files(in paths: [String], systems: [InformationSystem] = []) throws -> Result {
        var files: [InputFile] = []
        var skipped = 0
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw IngestError.notFound(path: path)
            }
            let rootURL = URL(fileURLWithPath: path).standardizedFileURL
            if !isFolder.boolValue {
                let parent = rootURL.deletingLastPathComponent()
                files.append(
                    InputFile(
                        path: path, site: parent.lastPathComponent,
                        system: system(
                            fromNames: [
                                rootURL.deletingPathExtension().lastPathComponent, parent.lastPathComponent,
                            ], declared: systems)))
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else {
                throw IngestError.unreadable(path: path, reason: "cannot list the folder")
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let components = relative.split(separator: "/")
                if components.contains(where: { $0.hasPrefix(".") }) { continue }
                var isSubfolder: ObjCBool = false
                let full = (path as NSString).appendingPathComponent(relative)
                guard manager.fileExists(atPath: full, isDirectory: &isSubfolder), !isSubfolder.boolValue else {
                    continue
                }
                let ending = (relative as NSString).pathExtension.lowercased()
                if exportExtensions.contains(ending)
                    && !groundTruthNames.contains((relative as NSString).lastPathComponent.lowercased())
                {
                    found.append(relative)
                } else if !relative.lowercased().hasSuffix(".profile.toml") {
                    skipped += 1
                }
            }
            for relative in found.sorted() {
                let components = relative.split(separator: "/").map(String.init)
                let site = components.count >= 2 ? components[0] : rootURL.lastPathComponent
                let stem = (components.last! as NSString).deletingPathExtension
                let names = [stem] + components.dropLast().reversed() + [rootURL.lastPathComponent]
                files.append(
                    InputFile(
                        path: (path as NSString).appendingPathComponent(relative), site: site,
                        system: system(fromNames: names, declared: systems)))
            }
        }
        return Result(files: files, skipped: skipped)
    }

    /// The first system named by a word of the names, nearest first: `dpi`, `dui`, `sip` as a word or a
    /// word's prefix, or a declared system's name as a run of words (its last word may be a prefix).
    public static func system(fromNames names: [String], declared: [InformationSystem] = []) -> InformationSystem? {
        func words(_ text: String) -> [Substring] { text.lowercased().split { !($0.isLetter || $0.isNumber) } }
        let declaredWords = declared.map { (system: $0, words: words($0.name)) }.filter { !$0.words.isEmpty }
        for name in names {
            let nameWords = words(name)
            for (position, word) in nameWords.enumerated() {
                for kind in SystemKind.named where word.hasPrefix(kind.name.lowercased()) {
                    return InformationSystem.named[Int(kind.rawValue)]
                }
                for (system, systemWords) in declaredWords where position + systemWords.count <= nameWords.count {
                    let run = nameWords[position..<position + systemWords.count]
                    let matches = zip(run, systemWords).enumerated().allSatisfy { index, pair in
                        index == systemWords.count - 1 ? pair.0.hasPrefix(pair.1) : pair.0 == pair.1
                    }
                    if matches { return system }
                }
            }
        }
        return nil
    }
}
