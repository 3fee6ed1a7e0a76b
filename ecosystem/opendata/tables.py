"""A table read from a CSV or XLSX file within limits, for imports (ecosystem.opendata.
imports).

Every limit is checked while the file is read, before the work grows with it: the
file's size before a byte is read; an XLSX's size once unzipped, as its zip says and as
it really inflates; the size its sheet says it spans; then rows, columns and characters
as they come. A 5 KB sheet that says it spans A1:XFD1048576, a 1 MB zip that inflates
to 1 GB or a million-line CSV is refused in well under a second, in a few megabytes.

An XLSX is read as a stream of XML events: its shared strings and styles first, then
its first sheet, each element dropped once it ends. openpyxl does not read the sheet:
even read-only, it pads every row to the width the sheet declares, and reads a sheet
that declares no size to its end before giving the first row, keeping an element per
row (a 48 KB file of 5 million empty rows: 6 s and 400 MB). Its helpers for dates and
number formats are used.
"""

import csv
import datetime
import io
import itertools
import posixpath
import struct
import zipfile
import zlib
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from ecosystem.core import exports

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a file an import reads before it refuses it."""

    rows: int  # below the header
    bytes: int  # the file as it is stored or uploaded
    inflated: int  # an XLSX's parts once unzipped, together; also the characters it holds
    columns: int = 50  # the widest export has 22
    # Characters in one cell: a field takes 400 at most, but an export's read-only
    # columns come back too (a record's sources take 600 today).
    cell: int = 10_000

    @property
    def cells(self):
        """The most values a sheet within the limits can show: no more shared strings."""
        return (self.rows + 1) * self.columns


# manage.py import_records: an operator's tool, for the large files (45,000 new SMEs
# check in 16 s and import in 75 s, in 330 MB, on PostgreSQL). The admin has its own,
# lower limits (ecosystem.opendata.admin_import.LIMITS).
COMMAND = Limits(rows=50_000, bytes=50 * MB, inflated=100 * MB)


class ImportFileError(ValueError):
    """The file cannot be read as a table: its format, its header, or a limit (then
    `too_large` is true: splitting the file is the way out)."""

    def __init__(self, message, *, too_large=False):
        super().__init__(message)
        self.too_large = too_large


def count(value):
    return number_format(value, force_grouping=True)


def read_table(source, name, limits):
    """[header, *rows]: the file's non-empty rows, as text, its cells stripped.
    `source` is a path or a binary file that can seek."""
    with opened(source) as file:
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        if size > limits.bytes:
            raise ImportFileError(
                _("The file is larger than %(max)s.") % {"max": filesizeformat(limits.bytes)},
                too_large=True,
            )
        read = read_xlsx if name.lower().endswith(".xlsx") else read_csv
        with closing(read(file, limits)) as raw:  # closed with the file, even when refused
            rows = list(bounded(raw, limits))
    if not rows:
        raise ImportFileError(_("The file is empty."))
    return rows


@contextmanager
def opened(source):
    if hasattr(source, "read"):
        yield source
    else:
        with Path(source).open("rb") as file:
            yield file


def too_many_rows(limits):
    return ImportFileError(
        _("The file has more than %(max)s rows.") % {"max": count(limits.rows)}, too_large=True
    )


def bounded(rows, limits):
    """The non-empty rows of (row number, cells), refused at the first that passes a
    limit. An empty row counts: it is a row of the file."""
    header, characters = None, 0
    for number, cells in rows:
        if number > limits.rows + 1:  # the header is row 1
            raise too_many_rows(limits)
        while cells and not cells[-1].strip():
            cells.pop()
        if len(cells) > limits.columns:
            raise ImportFileError(
                _("Row %(row)s has more than %(max)s columns.")
                % {"row": number, "max": count(limits.columns)}
            )
        for index, cell in enumerate(cells):
            if len(cell) > limits.cell:
                raise ImportFileError(
                    _("Row %(row)s, column “%(column)s”: more than %(max)s characters in a cell.")
                    % {
                        "row": number,
                        "column": header[index] if header and index < len(header) else index + 1,
                        "max": count(limits.cell),
                    }
                )
            characters += len(cell)
        if characters > limits.inflated:
            raise ImportFileError(
                _("The file holds more than %(max)s characters of text.")
                % {"max": count(limits.inflated)},
                too_large=True,
            )
        cells = [exports.unsafe(cell.strip()) for cell in cells]
        if any(cells):
            header = header or cells
            yield cells


# CSV -------------------------------------------------------------------------------------


def read_csv(file, limits):
    """(row number, cells) of a CSV in any usual dialect, UTF-8 with or without a
    byte-order mark, read line by line."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    # A row of the most columns, each of the longest cell, quoted: a longer row is
    # refused before the csv module splits it into more cells than a row may have.
    longest = limits.columns * (limits.cell + 3)
    row = {"number": 1, "length": 0}  # the row being read, and its length so far

    def lines():
        while line := text.readline(longest + 1):
            row["length"] += len(line)
            if row["length"] > longest:
                raise ImportFileError(
                    _("Row %(row)s is longer than %(max)s characters.")
                    % {"row": row["number"], "max": count(longest)}
                )
            yield line

    try:
        read = lines()
        sample, length = [], 0
        for line in read:
            sample.append(line)
            length += len(line)
            if length >= 10_000:
                break
        try:
            dialect = csv.Sniffer().sniff("".join(sample)[:10_000], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        row["length"] = 0
        for cells in csv.reader(itertools.chain(sample, read), dialect):
            yield row["number"], cells
            row["number"] += 1
            row["length"] = 0
    except UnicodeDecodeError as error:
        raise ImportFileError(_("A CSV file must be saved as UTF-8.")) from error
    except csv.Error as error:  # a cell past the csv module's own limit, a NUL
        raise ImportFileError(
            _("Row %(row)s cannot be read: more than %(max)s characters in a cell, or a NUL.")
            % {"row": row["number"], "max": count(limits.cell)}
        ) from error
    finally:
        text.detach()  # the caller's file stays open


# XLSX ------------------------------------------------------------------------------------


# What reading a broken or hostile workbook raises, from zipfile, zlib, the XML parser
# or a value that is not what the format says.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # a compression zipfile does not know
    RuntimeError,  # an encrypted part
    OSError,
    ElementTree.ParseError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OverflowError,
)


def unreadable():
    return ImportFileError(_("This is not an XLSX file that can be read."))


def read_xlsx(file, limits):
    """(row number, cells) of the first sheet of an XLSX file."""
    if central_directory_size(file) > MB:  # a few kilobytes in a real workbook
        raise unreadable()
    try:
        archive = zipfile.ZipFile(file)
    except UNREADABLE as error:
        raise unreadable() from error
    with archive:
        if sum(member.file_size for member in archive.infolist()) > limits.inflated:
            raise ImportFileError(
                _("Once unzipped, the file would be larger than %(max)s.")
                % {"max": filesizeformat(limits.inflated)},
                too_large=True,
            )
        package = Package(archive, limits)
        try:
            yield from package.rows()
        except ImportFileError:
            raise
        except UNREADABLE as error:
            raise unreadable() from error


def central_directory_size(file):
    """The size of the zip's table of contents, from its last record, before zipfile
    reads it all into memory (a few hundred bytes per entry)."""
    size = file.seek(0, io.SEEK_END)
    file.seek(max(0, size - 65_557))  # the end record and the longest comment
    tail = file.read()
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise unreadable()
    return struct.unpack("<I", tail[at + 12 : at + 16])[0]


class Inflated(io.RawIOBase):
    """A part of the zip as it inflates, counted against what the whole file may
    inflate to. zipfile already stops a part at the size the zip says it has (and then
    fails its checksum); this holds even if it did not."""

    def __init__(self, stream, package):
        self.stream, self.package = stream, package

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        self.package.left -= len(data)
        if self.package.left < 0:
            raise ImportFileError(
                _("Once unzipped, the file would be larger than %(max)s.")
                % {"max": filesizeformat(self.package.limits.inflated)},
                too_large=True,
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()


# Excel allows 64,000 cell styles and 250 number formats; more is not a workbook.
MOST_STYLES = 65_536


class Package:
    """The parts of an XLSX an import reads, found through its relationships."""

    def __init__(self, archive, limits):
        self.archive, self.limits = archive, limits
        self.left = limits.inflated

    def events(self, name):
        """(event, tag without its namespace, element) of a part as it is parsed; only
        the elements still open stay in memory: each leaves its parent once it ends."""
        with Inflated(self.archive.open(name), self) as stream:
            path = []
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start":
                    path.append(element)
                yield event, tag, element
                if event == "end":
                    path.pop()
                    if path:
                        path[-1].remove(element)

    def relationships(self, name):
        """{id: (kind, part name)} of a part's relationships ("worksheet", ...)."""
        folder, base = posixpath.split(name)
        found = {}
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.archive.NameToInfo:
            return found
        for event, tag, element in self.events(rels):
            if event == "end" and tag == "Relationship":
                target = element.get("Target", "")
                target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                kind = element.get("Type", "").rpartition("/")[2]
                found[element.get("Id")] = (kind, posixpath.normpath(target))
                if len(found) > MOST_STYLES:
                    raise unreadable()
        return found

    def rows(self):
        workbook = next(
            (part for kind, part in self.relationships("").values() if kind == "officeDocument"),
            "xl/workbook.xml",
        )
        parts = self.relationships(workbook)
        sheet, epoch = self.first_sheet(workbook, parts)
        kinds = dict(parts.values())
        strings = self.shared_strings(kinds["sharedStrings"]) if "sharedStrings" in kinds else []
        dates = self.date_styles(kinds["styles"]) if "styles" in kinds else set()
        yield from self.sheet_rows(sheet, strings, dates, epoch)

    def first_sheet(self, workbook, parts):
        """The part of the workbook's first sheet, and the calendar its dates count from."""
        epoch = CALENDAR_WINDOWS_1900
        for event, tag, element in self.events(workbook):
            if event == "start" and tag == "workbookPr":
                if element.get("date1904") in ("1", "true"):
                    epoch = CALENDAR_MAC_1904
            elif event == "start" and tag == "sheet":
                # r:id, in whichever namespace the workbook's dialect puts it
                relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
                return parts[relation][1], epoch
        raise unreadable()

    def shared_strings(self, name):
        """The workbook's table of strings, each cut one past the cell limit (a cell
        that names it is refused then), no more of them than a sheet may show."""
        strings, pieces, length, phonetic = [], [], 0, 0
        for event, tag, element in self.events(name):
            if tag == "rPh":  # a reading aid for East Asian text, not the text
                phonetic += 1 if event == "start" else -1
            elif event == "end" and tag == "t" and not phonetic and length <= self.limits.cell:
                pieces.append(element.text or "")
                length += len(pieces[-1])
            elif event == "end" and tag == "si":
                strings.append("".join(pieces)[: self.limits.cell + 1])
                pieces, length = [], 0
                if len(strings) > self.limits.cells:
                    raise too_many_rows(self.limits)
        return strings

    def date_styles(self, name):
        """The cell styles whose number format shows a date."""
        formats, styles, in_cell_styles = {}, [], False
        for event, tag, element in self.events(name):
            if tag == "cellXfs":
                in_cell_styles = event == "start"
            elif event == "start" and tag == "numFmt":
                formats[int(element.get("numFmtId", 0))] = element.get("formatCode", "")
            elif event == "start" and tag == "xf" and in_cell_styles:
                styles.append(int(element.get("numFmtId", 0)))
            if len(styles) + len(formats) > MOST_STYLES:
                raise unreadable()
        dates = set()
        for index, number_format_id in enumerate(styles):
            code = formats.get(number_format_id) or BUILTIN_FORMATS.get(number_format_id, "")
            if is_date_format(code) and not is_timedelta_format(code):
                dates.add(index)
        return dates

    def sheet_rows(self, name, strings, dates, epoch):
        limits = self.limits
        number = column = 0
        cells, kind, style, value, inline, length = [], "n", 0, None, [], 0
        for event, tag, element in self.events(name):
            if event == "start":
                if tag == "dimension":
                    check_dimension(element.get("ref", ""), limits)
                elif tag == "row":
                    number = int(element.get("r") or number + 1)
                    if number > limits.rows + 1:
                        raise too_many_rows(limits)
                    cells, column = [], 0
                elif tag == "c":
                    reference = element.get("r")
                    column = column_of(reference) if reference else column + 1
                    if column < 1:
                        raise unreadable()
                    kind, style = element.get("t", "n"), int(element.get("s") or 0)
                    value, inline, length = None, [], 0
            elif tag == "v":
                value = element.text
            elif tag == "t" and length <= limits.cell:  # inline text, maybe in runs
                inline.append(element.text or "")
                length += len(inline[-1])
            elif tag == "c":
                text = cell_text(kind, value, inline, style in dates, strings, epoch)
                if text:
                    if column > limits.columns:
                        raise ImportFileError(
                            _("Row %(row)s has more than %(max)s columns.")
                            % {"row": number, "max": count(limits.columns)}
                        )
                    cells.extend([""] * (column - len(cells)))
                    cells[column - 1] = text
            elif tag == "row":
                yield number, cells


def check_dimension(reference, limits):
    """Refuse a sheet that says it is larger than the limits (its `<dimension>`)."""
    try:
        _first_column, _first_row, columns, rows = range_boundaries(reference)
    except (TypeError, ValueError):
        return  # an unusual size is checked as the rows come
    if (rows or 0) > limits.rows + 1 or (columns or 0) > limits.columns:
        raise ImportFileError(
            _(
                "The sheet's size, %(size)s, is past the limit of %(rows)s rows and "
                "%(columns)s columns."
            )
            % {"size": reference, "rows": count(limits.rows), "columns": count(limits.columns)},
            too_large=True,
        )


def column_of(reference):
    """1 for "A7", 16,384 for "XFD1" (the last column a sheet has)."""
    column = 0
    for character in reference:
        if not "A" <= character <= "Z":
            break
        column = column * 26 + ord(character) - 64
        if column > 16_384:
            raise unreadable()
    return column


def cell_text(kind, value, inline, is_date, strings, epoch):
    """A cell's value as text, as it shows in the spreadsheet (its cached value when it
    holds a formula); a date as 2024-05-31."""
    if kind == "s":
        return strings[int(value)] if value is not None else ""
    if kind == "inlineStr":
        return "".join(inline)
    if value is None:
        return ""
    if kind == "b":
        return "True" if value.strip() in ("1", "true") else "False"
    if kind == "d":
        return text_of(datetime.datetime.fromisoformat(value))
    if kind != "n":  # a formula's text ("str") or an error ("e")
        return value
    number = float(value) if any(c in value for c in ".eE") else int(value)
    if is_date:
        return text_of(from_excel(number, epoch))
    return text_of(number)


def text_of(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
