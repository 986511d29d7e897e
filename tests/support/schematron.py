"""Peppol BIS Billing 3.0's own rules, run offline on an invoice.

The rules are the official Schematron files (tests/schemas/peppol-bis-3.0.19/:
CEN's EN 16931 rules bound to UBL and OpenPEPPOL's rules, Norway's NO-R-001
and NO-R-002 among them). Schematron with the `xslt2` query binding is
normally compiled to XSLT 2.0 by the ISO skeleton or SchXslt and run by
Saxon; neither compiler is on a package registry, so this module compiles the
subset these two files use (global and rule `let`s, `xsl:function`s,
patterns of rules, `assert`s with an id and a flag) to XSLT itself and runs it
with Saxon-HE (saxonche). Each pattern is one mode; its rules are templates
in document order with falling priorities, so a node is checked by the first
rule of a pattern whose context matches it, as Schematron says; every element
and attribute is visited.

The compiler is checked against OpenPEPPOL's own examples (they pass) and
against invoices broken on purpose (the rule broken is reported), in
tests/test_invoicing.py."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
RULES = SCHEMAS / "peppol-bis-3.0.19"
SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"


@dataclass(frozen=True)
class Finding:
    id: str
    flag: str  # "fatal" or "warning"
    location: str
    text: str


def compile_schematron(sch: Path) -> bytes:
    """The XSLT 3.0 stylesheet that reports every failed assert of `sch` as
    SVRL `failed-assert` elements."""
    schema = etree.parse(str(sch)).getroot()
    nsmap: dict[str | None, str] = {"xsl": XSL, "svrl": SVRL}
    for ns in schema.iter(f"{{{SCH}}}ns"):
        nsmap[ns.get("prefix")] = ns.get("uri", "")
    out = etree.Element(f"{{{XSL}}}stylesheet", nsmap=nsmap, version="3.0")
    for child in schema:
        if child.tag == f"{{{SCH}}}let":
            _variable(out, child)
        elif isinstance(child.tag, str) and child.tag.startswith(f"{{{XSL}}}"):
            out.append(_copy(child))
    patterns = list(schema.iter(f"{{{SCH}}}pattern"))
    for pattern in patterns:
        for let in pattern.findall(f"{{{SCH}}}let"):
            _variable(out, let)
    root = etree.SubElement(out, f"{{{XSL}}}template", match="/")
    report = etree.SubElement(root, f"{{{SVRL}}}schematron-output")
    for number, pattern in enumerate(patterns):
        mode = f"P{number}"
        etree.SubElement(report, f"{{{XSL}}}apply-templates", select="/", mode=mode)
        rules = pattern.findall(f"{{{SCH}}}rule")
        for order, rule in enumerate(rules):
            template = etree.SubElement(
                out,
                f"{{{XSL}}}template",
                match=rule.get("context", ""),
                mode=mode,
                priority=str(len(rules) - order + 10),
            )
            for let in rule.findall(f"{{{SCH}}}let"):
                _variable(template, let)
            for test in rule.findall(f"{{{SCH}}}assert"):
                check = etree.SubElement(template, f"{{{XSL}}}if", test=f"not({test.get('test')})")
                failed = etree.SubElement(
                    check,
                    f"{{{SVRL}}}failed-assert",
                    id=test.get("id", ""),
                    flag=test.get("flag", "fatal"),
                    location="{path()}",
                )
                text = etree.SubElement(failed, f"{{{SVRL}}}text")
                text.text = " ".join("".join(test.itertext()).split())
            etree.SubElement(template, f"{{{XSL}}}apply-templates", select="@*|*", mode=mode)
        # A node no rule matches: go on to its attributes and children.
        rest = etree.SubElement(
            out, f"{{{XSL}}}template", match="document-node()|@*|*", mode=mode, priority="-5"
        )
        etree.SubElement(rest, f"{{{XSL}}}apply-templates", select="@*|*", mode=mode)
    return etree.tostring(out, xml_declaration=True, encoding="UTF-8")


def _variable(parent: etree._Element, let: etree._Element) -> None:
    etree.SubElement(
        parent, f"{{{XSL}}}variable", name=let.get("name", ""), select=let.get("value", "")
    )


def _copy(element: etree._Element) -> etree._Element:
    copied = etree.fromstring(etree.tostring(element))
    etree.cleanup_namespaces(copied)
    return copied


class Validator:
    """The compiled rule sets, kept for the session: compiling CEN's 980
    asserts takes Saxon a few seconds."""

    def __init__(self, *names: str) -> None:
        from saxonche import PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        # Local files only: a stylesheet or a document never reaches the network.
        self._processor.set_configuration_property(
            "http://saxon.sf.net/feature/allowedProtocols", "file"
        )
        compiler = self._processor.new_xslt30_processor()
        self._executables = [
            compiler.compile_stylesheet(stylesheet_text=compile_schematron(RULES / name).decode())
            for name in names
        ]

    def findings(self, document: bytes) -> list[Finding]:
        node = self._processor.parse_xml(xml_text=document.decode("utf-8"))
        found: list[Finding] = []
        for executable in self._executables:
            output = executable.transform_to_string(xdm_node=node)
            report = etree.fromstring(output.encode("utf-8"))
            for failed in report.iter(f"{{{SVRL}}}failed-assert"):
                found.append(
                    Finding(
                        id=failed.get("id", ""),
                        flag=failed.get("flag", ""),
                        location=failed.get("location", ""),
                        text=failed.findtext(f"{{{SVRL}}}text") or "",
                    )
                )
        return found


@cache
def bis_billing() -> Validator:
    return Validator("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch")


@cache
def ubl_schema() -> etree.XMLSchema:
    """The official OASIS UBL 2.1 invoice schema (vendored, tests/schemas/ubl-2.1)."""
    return etree.XMLSchema(
        etree.parse(str(SCHEMAS / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd"))
    )


def assert_valid(xml: bytes, *, warnings: tuple[str, ...] = ()) -> None:
    """Valid UBL 2.1, and no finding of the Peppol BIS Billing 3.0 rules but
    the `warnings` named."""
    schema = ubl_schema()
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    found = bis_billing().findings(xml)
    assert [f for f in found if f.flag != "warning"] == []
    assert sorted(f.id for f in found) == sorted(warnings), found
