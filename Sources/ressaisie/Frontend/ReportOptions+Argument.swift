import ArgumentParser
import RessaisieReport

extension ReportLanguage: ExpressibleByArgument {}
