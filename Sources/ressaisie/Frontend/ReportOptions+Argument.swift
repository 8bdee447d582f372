import ArgumentParser
import RessaisieReport

extension ReportLanguage: ExpressibleByArgument {}

extension AuditReport.Format: ExpressibleByArgument {}
