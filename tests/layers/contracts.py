"""An import-linter contract of our own: domain apps talk to each other only through public modules.

An import from one app into another must land on the other app's `services`, `selectors`, `codes` or
`models` (a subpackage of one of those included), or on a registry the other app offers (listed in the
contract). Private modules (views, forms, api, dashboards, demo data, ...) stay private, so an app can be
reshaped inside without breaking its neighbours. `urls`, `cli` and `demo` sit above the apps and are not
checked here (the layers contract places them).
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class PublicModulesContract(Contract):
    """Configuration: `apps` (the domain apps), `public` (module names open to other apps) and
    `registries` (whole module paths open to every app)."""

    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    registries = fields.ListField(subfield=fields.StringField(), required=False)

    def _app_of(self, module: str) -> str | None:
        for app in self.apps:  # type: ignore[attr-defined]
            if module == app or module.startswith(app + "."):
                return str(app)
        return None

    def _is_public(self, module: str, app: str) -> bool:
        if module in set(self.registries or []):  # type: ignore[arg-type]
            return True
        inside = module[len(app) + 1 :].split(".")
        return module != app and inside[0] in set(self.public)  # type: ignore[arg-type]

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        broken = []
        for importer in sorted(graph.modules):
            source = self._app_of(importer)
            if source is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = self._app_of(imported)
                if target is None or target == source or self._is_public(imported, target):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = ", ".join(str(d["line_number"]) for d in details)
                broken.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            output.print_error(
                f"{item['importer']} -> {item['imported']} (l. {item['lines']}): "
                f"{item['imported']} is private to its app; use its services or selectors",
                bold=False,
            )
        output.new_line()
