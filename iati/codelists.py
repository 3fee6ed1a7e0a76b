"""The IATI codelists vendored in iati/codelists/ (iati/VENDORED.md), read once per
process: {code: {language: name}}."""

import functools
from pathlib import Path

from lxml import etree

from iati.reading import XML_LANG

FOLDER = Path(__file__).resolve().parent / "codelists"


@functools.cache
def names(codelist):
    """{code: {"en": name, "fr": name...}} of `codelist` ("Sector", "SectorCategory"); a
    narrative without xml:lang is the list's own language (English)."""
    root = etree.parse(FOLDER / f"{codelist}.xml", etree.XMLParser(resolve_entities=False))
    default = root.getroot().get(XML_LANG, "en")
    found = {}
    for item in root.iter("codelist-item"):
        found[item.findtext("code").strip()] = {
            narrative.get(XML_LANG, default): " ".join((narrative.text or "").split())
            for narrative in item.findall("name/narrative")
        }
    return found


def dac_sector(code, language):
    """The name of a DAC 5-digit sector or 3-digit category in `language` (else English),
    "" for a code neither list has."""
    texts = names("Sector" if len(code) == 5 else "SectorCategory").get(code, {})
    return texts.get(language) or texts.get("en", "")
