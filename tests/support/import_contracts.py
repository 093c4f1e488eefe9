"""An import-linter contract that allows rather than forbids: a package may import, of ours,
only the modules it names.

A `forbidden` contract lists what must not be imported, so every new module is allowed
until someone thinks to forbid it; an allowlist fails the day a package starts to depend on
something new, and the contract's list is the package's whole dependency on the rest of
frmr. Registered in pyproject.toml (`contract_types`); tests/test_import_contracts.py plants
a violation of each contract and checks that lint-imports fails on it.

Options:
- source_modules: the packages whose imports are checked (each with its descendants);
- allowed_modules: what they may import of the root package (each with its descendants);
  imports inside the source package itself are always allowed;
- except_modules (optional): descendants of an allowed module that stay forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True)
class _Violation:
    importer: str
    imported: str
    line: int


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class AllowlistContract(Contract):
    type_name = "allowlist"

    source_modules = fields.ListField(subfield=fields.StringField())
    allowed_modules = fields.ListField(subfield=fields.StringField())
    except_modules = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources: list[str] = list(self.source_modules)  # type: ignore[call-overload]
        allowed: list[str] = list(self.allowed_modules)  # type: ignore[call-overload]
        excepted: list[str] = list(self.except_modules)  # type: ignore[call-overload]
        root = sources[0].split(".")[0]
        violations: list[_Violation] = []
        for source in sources:
            if source not in graph.modules:
                raise ValueError(f"allowlist: {source} is not a module of {root}")
            for importer in sorted({source, *graph.find_descendants(source)}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if not _within(imported, root) or _within(imported, source):
                        continue
                    ok = any(_within(imported, a) for a in allowed) and not any(
                        _within(imported, e) for e in excepted
                    )
                    if ok:
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    line = details[0]["line_number"] if details else 0
                    violations.append(_Violation(importer, imported, line))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for v in check.metadata["violations"]:
            output.print_error(
                f"{v.importer} imports {v.imported} (l.{v.line}), which is not on its list",
                bold=False,
            )
            output.new_line()
