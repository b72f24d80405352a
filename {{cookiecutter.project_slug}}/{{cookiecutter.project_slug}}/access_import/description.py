"""From an Access database's tables to the Django models that keep them: names, fields, keys, relations.

The result is the export's description.json: what Access had (tables, columns, types, keys, relationships)
and, beside it, what the app will have (class names, field names, the field declarations). A team reviews
it, may edit the Django side, and ``access_startapp`` writes the app from it.
"""

import dataclasses
import json
import keyword
import re

from anyascii import anyascii
from django.utils.translation import gettext

from ..core.identifiers import PostalCodeField, SocialSecurityNumberField, TaxNumberField
from .readers import Relationship

INTEGER_TYPES = {"Byte", "Integer", "Long Integer"}
TEXT_TYPES = {"Text", "Memo/Hyperlink"}
MAPPED_TYPES = {*INTEGER_TYPES, *TEXT_TYPES, "Single", "Double", "Currency", "Numeric", "DateTime", "Boolean"} | {
    *("Replication ID", "File")
}
# The column of the tables an OLE or attachment column's files become (export.TableFiles): the file itself.
FILES_COLUMN = "File"
# How Access writes a Yes/No column's Default Value.
BOOLEAN_DEFAULTS = {
    **dict.fromkeys(["yes", "true", "on", "-1"], True),
    **dict.fromkeys(["no", "false", "off", "0"], False),
}
# A lookup column's Row Source that selects from a table: SELECT [Towns].[ID], [Towns].[Name] FROM Towns ...
ROW_SOURCE = re.compile(
    r"SELECT\s+(?:DISTINCT(?:ROW)?\s+)?(?P<columns>.+?)\s+FROM\s+(?P<table>\[[^\]]+\]|[^\s;]+)",
    re.IGNORECASE | re.DOTALL,
)
# How Access keeps a Hyperlink (a Memo underneath): "text#address#subaddress#screen tip", the last two optional.
HYPERLINK = re.compile(r"(?P<text>[^#]*)#(?P<address>[^#]*)#(?P<subaddress>[^#]*)(?:#[^#]*)?", re.DOTALL)
# What an address is: a URL ("https:", "mailto:", "C:"), a path, or a file's name, never bare words ("see #2 and #3").
ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*:.*|.*[\\/].*|.*\.\w{1,5}", re.IGNORECASE | re.DOTALL)
# Access's relationship flags (MSysRelationships.grbit).
ONE_TO_ONE = 0x1
DELETE_CASCADE = 0x1000
# Names a field cannot take on our models: Django's, and those of UserDateAbstractModel.
RESERVED_FIELD_NAMES = {
    *("pk", "objects", "history", "save", "delete", "clean", "check", "full_clean", "refresh_from_db"),
    *("created_on", "created_by", "modified_on", "modified_by"),
}
RESERVED_CLASS_NAMES = {"LookupModel", "UserDateAbstractModel", "Meta", "Table", "FilterSet", "HistoryView"} | {
    # The app's own classes (access_import/app_template/views.py-tpl).
    *("TablePageMixin", "TableListView", "TableDetailView", "TableFormMixin"),
    *("TableCreateView", "TableUpdateView", "TableDeleteView"),
}
LOOKUP_NAME_LENGTH = 100  # LookupModel.name
# Text columns named like a Greek identifier become its field (core/identifiers.py): by a word of the name
# ("ΑΦΜ Πελάτη", "Α.Φ.Μ.", "AMKA", "Τ.Κ."), or by the whole name ("Ταχ. Κώδικας", "Postal code").
IDENTIFIER_FIELDS = {field.__name__: field for field in [TaxNumberField, SocialSecurityNumberField, PostalCodeField]}
IDENTIFIER_WORDS = {"afm": TaxNumberField, "amka": SocialSecurityNumberField, "tk": PostalCodeField}
IDENTIFIER_NAMES = {
    **dict.fromkeys(["taxid", "taxnumber", "vatnumber"], TaxNumberField),
    **dict.fromkeys(["socialsecuritynumber"], SocialSecurityNumberField),
    **dict.fromkeys(["tachkod", "tachkodikas", "tachydromikoskodikas", "postalcode", "postcode"], PostalCodeField),
    **dict.fromkeys(["zip", "zipcode"], PostalCodeField),
}


def python_name(text):
    """An ASCII snake_case name from any Access name: "Id No" -> "id_no", "Ημερομηνία" -> "imerominia"."""
    name = re.sub(r"[^a-z0-9]+", "_", anyascii(text).lower()).strip("_") or "column"
    return f"n{name}" if name[0].isdigit() else name


def unique_name(name, taken):
    """``name``, or ``name_2``, ``name_3``... when it is taken; then taken."""
    candidate, number = name, 1
    while candidate in taken or keyword.iskeyword(candidate) or candidate in RESERVED_FIELD_NAMES:
        number += 1
        candidate = f"{name}_{number}" if not keyword.iskeyword(name) else f"{name}_value"
    taken.add(candidate)
    return candidate


def class_name(table_name, taken):
    """A class name that keeps the Access name's words: "TableIgnoreNulls1", "order lines" -> "OrderLines",
    "Πελάτες" -> "Pelates"; a word in capitals only is one word ("ORDER_LINES" -> "OrderLines")."""
    name = "".join(capitalized(word) for word in re.findall(r"[A-Za-z0-9]+", anyascii(table_name)))
    if not name or name[0].isdigit():
        name = f"AccessTable{name}"
    while name in taken or name in RESERVED_CLASS_NAMES:
        name += "Table"
    taken.add(name)
    return name


def capitalized(word):
    """A word of a class name: "lines" and "LINES" become "Lines"; one with capitals of its own keeps them,
    "IgnoreNulls1" as it is, "tblOrders" as "TblOrders"."""
    if word.isupper() or word.islower():
        return word.capitalize()
    return word[0].upper() + word[1:]


def literal(text):
    """A Python string literal of ``text``, non-ASCII letters kept as they are."""
    return json.dumps(text, ensure_ascii=False)


def skip_reason(column):
    """Why a column's values cannot become a field, or None when they can."""
    if column.type.startswith("Unknown_001"):
        return "a complex column (attachments, several values or version history)"
    if column.type == "OLE":
        return "an OLE object (embedded file)"
    if column.type == "Binary":
        return "binary data"
    if column.type not in MAPPED_TYPES:
        return f"a column of type {column.type}, which this import does not map"
    return None


def identifier_field(column):
    """The Greek identifier field a Text column's name says it holds, or None."""
    if column.type != "Text":
        return None
    words = re.findall(r"[a-z]+", anyascii(re.sub(r"\b(\w)\.", r"\1", column.name)).lower())
    by_word = (IDENTIFIER_WORDS[word] for word in words if word in IDENTIFIER_WORDS)
    return IDENTIFIER_NAMES.get("".join(words)) or next(by_word, None)


def declaration(column, stats, unique=False, default=None):
    """The Django field for an Access column: ``models.CharField("Surname", max_length=50, blank=True)``, named
    by its Caption, with its Description as help and ``default``, the source of a constant default."""
    arguments = [literal(column.properties.get("Caption") or column.name)]
    optional = [] if column.required else ["null=True", "blank=True"]
    if column.type == "Text":
        arguments.append(f"max_length={column.size or 255}")
        # Text is never NULL in Django: a missing value is "" (a unique key's, never: it stays required).
        optional = [] if column.required or unique else ["blank=True"]
        # An identifier keeps the column's length: the import keeps what is not a valid one as it is.
        kind = getattr(identifier_field(column), "__name__", "CharField")
    elif column.type == "Memo/Hyperlink":
        optional = [] if column.required else ["blank=True"]
        kind = "TextField"
    elif column.type == "Boolean":
        optional = [] if default else ["default=False"]  # Access's Yes/No is never NULL
        kind = "BooleanField"
    elif column.type == "Currency":
        # Access keeps currency as a fixed-point number with 4 decimal places and 15 digits before them.
        arguments += ["max_digits=19", "decimal_places=4"]
        kind = "DecimalField"
    elif column.type == "Numeric":
        # Access's Decimal: its precision and scale where the reader gives them, else room for any.
        scale = 10 if column.scale is None else column.scale
        arguments += [f"max_digits={column.size or 28}", f"decimal_places={scale}"]
        kind = "DecimalField"
    elif column.type == "File":
        # Files only permission-checking views hand out: access_startapp says where, under the app's name.
        # Named in the project's language: the app's catalogue has "file".
        arguments = ['_("file")', "upload_to=<upload_to>", "max_length=255"]
        kind = "ProtectedFileField"
    elif column.type == "DateTime":
        # Dates without a time in any row are dates; the others are local times of TIME_ZONE (access_import).
        kind = "DateTimeField" if stats.get("has_time") or not stats.get("values") else "DateField"
    else:
        kind = {
            "Byte": "PositiveSmallIntegerField",
            "Integer": "SmallIntegerField",
            "Long Integer": "IntegerField",
            "Single": "FloatField",
            "Double": "FloatField",
            "Replication ID": "UUIDField",
        }[column.type]
    if unique:
        optional = [option for option in optional if option != "blank=True"] + ["unique=True"]
    optional += help_text(column)
    if default:
        optional.append(f"default={default}")
    module = "" if kind == "ProtectedFileField" or identifier_field(column) else "models."
    return f"{module}{kind}({', '.join(arguments + optional)})"


def help_text(column):
    """The help_text argument from the column's Description in Access, if it has one."""
    text = column.properties.get("Description")
    return [f"help_text={literal(text)}"] if text else []


def default_value(column):
    """The Python source of the column's Default Value where it is a constant ("Smith", 0, Yes), else None."""
    raw = column.properties.get("DefaultValue", "").strip()
    text = re.fullmatch(r'"((?:[^"]|"")*)"|\'((?:[^\']|\'\')*)\'', raw)
    number = re.fullmatch(r"-?\d+(\.\d+)?", raw)
    if column.type in TEXT_TYPES and text:
        return literal(text[1].replace('""', '"') if text[1] is not None else text[2].replace("''", "'"))
    if column.type in INTEGER_TYPES and number and not number[1]:
        return str(int(raw))
    if column.type in {"Single", "Double"} and number:
        return repr(float(raw))
    if column.type in {"Currency", "Numeric"} and number:
        return f'Decimal("{raw}")'
    if column.type == "Boolean" and raw.lower() in BOOLEAN_DEFAULTS:
        return str(BOOLEAN_DEFAULTS[raw.lower()])
    return None


def hyperlink_parts(value):
    """(address, text) of an Access Hyperlink, the subaddress kept as the address's #fragment and a text that
    only repeats the address left empty; None for text that is not a hyperlink."""
    match = HYPERLINK.fullmatch(value)
    if not match or not ADDRESS.fullmatch(match["address"]):
        return None
    address = match["address"] + (f"#{match['subaddress']}" if match["subaddress"] else "")
    return address, "" if match["text"] == address else match["text"]


def hyperlink_columns(column, taken):
    """A Hyperlink column's two fields: its address and its text. The address stays a CharField: a URLField
    would refuse the paths and the intranet's host names ("http://registry/") Access keeps as well."""
    address = unique_name(python_name(column.name), taken)
    caption = column.properties.get("Caption") or column.name
    optional = ([] if column.required else ["blank=True"]) + help_text(column)
    text_name = literal(gettext("%(name)s: its text") % {"name": caption})
    described = {"name": column.name, "type": column.type, "size": column.size, "required": column.required}
    return [
        described
        | {
            "field": address,
            "hyperlink": "address",
            "declaration": f"models.CharField({', '.join([literal(caption), 'max_length=2048', *optional])})",
        },
        described
        | {
            "field": unique_name(f"{address}_text", taken),
            "hyperlink": "text",
            "declaration": f"models.CharField({text_name}, max_length=2048, blank=True)",
        },
    ]


def has_id_key(table):
    """Access's key is one integer column (an AutoNumber, mostly): it becomes the model's id, values kept."""
    key = table.primary_key
    return len(key) == 1 and next(column.type for column in table.columns if column.name == key[0]) in INTEGER_TYPES


def is_lookup(table, referenced, stats):
    """An id and one short, unique, never-empty text that other tables refer to: a LookupModel's name."""
    others = [column for column in table.columns if column.name not in table.primary_key]
    if not (has_id_key(table) and table.name in referenced and len(others) == 1 and others[0].type == "Text"):
        return False
    text = stats[table.name]["columns"].get(others[0].name, {})
    return text.get("unique", False) and text.get("shortest", 0) > 0 and text["longest"] <= LOOKUP_NAME_LENGTH


def describe(tables, relationships, stats, source):
    """The description.json of an export: ``stats`` are what the data showed, per table and column."""
    by_name = {table.name: table for table in tables}
    notes = []
    related = {(relationship.table, relationship.column) for relationship in relationships}
    lookups = list(lookup_relationships(by_name, notes, related))
    foreign_keys = usable_relationships(by_name, [*relationships, *lookups], notes)
    referenced = {relationship.referenced_table for relationship in foreign_keys.values()}
    lookup_tables = {table.name for table in tables if is_lookup(table, referenced, stats)}
    class_names, models = set(), []
    for table in tables:
        model = {
            "name": table.name,
            "class_name": class_name(table.name, class_names),
            # None: the app's own, <app>_<model>, as Django names it.
            "db_table": None,
            "verbose_name": table.name,
            "base": "LookupModel" if table.name in lookup_tables else "UserDateAbstractModel",
            "primary_key": table.primary_key,
            "rows": stats[table.name]["rows"],
            "data_file": stats[table.name]["data_file"],
        }
        model.update({key: getattr(table, key) for key in ("files_of", "values_of") if getattr(table, key)})
        model["columns"] = describe_columns(table, model, foreign_keys, by_name, stats[table.name], notes)
        models.append(model)
    for column in [column for model in models for column in model["columns"] if column.get("references")]:
        referenced = next(model for model in models if model["name"] == column["references"])
        to_field = next(other["field"] for other in referenced["columns"] if other["name"] == column["to_column"])
        declaration = column["declaration"].replace("<model>", literal(referenced["class_name"]))
        column["declaration"] = declaration.replace("<to_field>", literal(to_field))
    return {"source": source, "tables": models, "notes": notes}


def lookup_relationships(tables, notes, related):
    """Relationships from the lookups Access columns have that no relationship (``related``, by table and
    column) has made yet (a Row Source selecting from another table and its Bound Column); a lookup from a
    query, or a value list the export did not make a lookup table of, stays a plain column, noted."""
    for table in tables.values():
        for column in [column for column in table.columns if (table.name, column.name) not in related]:
            kind, source = column.properties.get("RowSourceType"), column.properties.get("RowSource", "")
            where = f"{table.name}.{column.name}"
            if kind == "Value List" and source:
                notes.append(
                    f"{where}: a lookup from the value list {source}; it stays a plain column (make it a lookup "
                    "table, a LookupModel, if its values should be kept in one place)."
                )
                continue
            if kind != "Table/Query" or not source:
                continue
            match = ROW_SOURCE.match(source.strip())
            selected = [unbracketed(part).split(".")[-1] for part in match["columns"].split(",")] if match else []
            bound = int(column.properties.get("BoundColumn") or 1)
            referenced = unbracketed(match["table"]) if match else None
            if referenced in tables and 0 < bound <= len(selected) and selected[bound - 1] != "*":
                yield Relationship(f"lookup {where}", table.name, column.name, referenced, selected[bound - 1], 0, 1)
            else:
                notes.append(f"{where}: a lookup through {source!r}, which is not one table; it stays a plain column.")


def unbracketed(name):
    return name.replace("[", "").replace("]", "").strip()


def usable_relationships(tables, relationships, notes):
    """The relationships that become ForeignKeys, by (table, column); the others are noted, one line each."""
    usable = {}
    for relationship in relationships:
        where = f"{relationship.table}.{relationship.column} -> {relationship.referenced_table}"
        if relationship.table not in tables or relationship.referenced_table not in tables:
            continue  # Access's own (MSys...) tables
        referenced = tables[relationship.referenced_table]
        unique_columns = [key for key in [referenced.primary_key, *referenced.unique] if len(key) == 1]
        if relationship.columns > 1:
            notes.append(f"{where}: a relationship over {relationship.columns} columns stays plain columns.")
        elif [relationship.referenced_column] not in unique_columns:
            notes.append(f"{where}: refers to a column that is not unique, so it stays a plain column.")
        elif (relationship.table, relationship.column) in usable:
            notes.append(f"{where}: the column already refers to another table; this one is left out.")
        elif relationship.column in tables[relationship.table].primary_key:
            notes.append(f"{where}: the column is its table's key, so it stays the key.")
        else:
            usable[relationship.table, relationship.column] = relationship
    return usable


def describe_columns(table, model, foreign_keys, tables, stats, notes):
    id_key = has_id_key(table)
    lookup = model["base"] == "LookupModel"
    single_unique = {key[0] for key in [table.primary_key, *table.unique] if len(key) == 1}
    taken = {"id"} | ({"name"} if lookup else set())
    targets = [relationship.referenced_table for (name, _), relationship in foreign_keys.items() if name == table.name]
    columns = []
    for column in table.columns:
        described = {
            "name": column.name,
            "type": column.type,
            "size": column.size,
            "required": column.required,
            "autonumber": column.autonumber,
        }
        column_stats = stats["columns"].get(column.name, {})
        relationship = foreign_keys.get((table.name, column.name))
        reason = skip_reason(column)
        if reason and "files_table" in column_stats:
            described.update(field=None, files_table=column_stats["files_table"])
            notes.append(files_note(table.name, column.name, column_stats))
        elif reason:
            values = column_stats.get("values", 0)
            described.update(field=None, skipped=reason)
            notes.append(f"{table.name}.{column.name}: {reason}, skipped; values left in Access: {values}.")
        elif id_key and column.name == table.primary_key[0]:
            described.update(field="id", declaration=None)
        elif lookup:
            described.update(field="name", declaration=None)
        elif relationship:
            described.update(foreign_key(relationship, column, tables, targets, taken))
        elif column.type == "Memo/Hyperlink" and 0 < column_stats.get("values", 0) == column_stats.get("hyperlinks"):
            columns += hyperlink_columns(column, taken)
            notes.append(f"{table.name}.{column.name}: a Hyperlink; its address and its text are two fields.")
            continue
        else:
            # An "ID" that is not the key (text, or one of several) keeps where it came from in its name.
            name = python_name(column.name)
            field = unique_name("access_id" if name == "id" else name, taken)
            unique = column.name in single_unique
            # Access never lets a key be empty.
            required = column.required or column.name in table.primary_key
            default = default_value(column)
            if column.properties.get("DefaultValue") and default is None:
                raw = column.properties["DefaultValue"]
                notes.append(f"{table.name}.{column.name}: the default value {raw} is not a constant; left out.")
            column = dataclasses.replace(column, required=required)
            described.update(field=field, declaration=declaration(column, column_stats, unique, default))
            if identifier := identifier_field(column):
                notes.append(identifier_note(table.name, column.name, identifier, column_stats))
        columns.append(described)
    key_columns = [column for column in columns if column["name"] in table.primary_key]
    model["key_fields"] = [column["field"] for column in key_columns if column["field"]]
    model["indexes"] = list_indexes(table, columns)
    if len(table.primary_key) > 1:
        model["unique_together"] = model["key_fields"]
    return columns


def files_note(table, column, stats):
    """What became of the values of an OLE or attachment column whose files became a table of their own."""
    note = f"{table}.{column}: {stats['files']} files, now the rows of the table {stats['files_table']}"
    if stats["not_files"]:
        note += f"; the values that are not plain files stay in Access, in the rows {listed(stats['not_files'])}"
    if stats["orphans"]:
        note += f"; {stats['orphans']} files that belong to no row stay in Access"
    return note + "."


def identifier_note(table, column, field_class, stats):
    """What the import does with a column that holds a Greek identifier, and which of its values are wrong."""
    note = f"{table}.{column}: by its name, a {field_class.__name__}, kept in compact form"
    invalid, count = stats.get("invalid", []), stats.get("invalid_count", 0)
    if count:
        more = f" and {count - len(invalid)} more" if count > len(invalid) else ""
        note += (
            f"; {count} of its values are not valid ones, imported as they are for the team to correct (the "
            f"form refuses them until then): {', '.join(invalid)}{more}"
        )
    return note + "."


def listed(keys, at_most=20):
    shown = ", ".join(keys[:at_most])
    return shown + (f" and {len(keys) - at_most} more" if len(keys) > at_most else "")


def list_indexes(table, columns):
    """The fields of each index Access has that allows duplicates, less those a key, a unique column or a
    relation's own index already serves: Meta.indexes, for lists that sort and filter by them."""
    fields = {column["name"]: column["field"] for column in columns if column.get("declaration")}
    relations = {column["name"] for column in columns if column.get("references")}
    served = {key[0] for key in [table.primary_key, *table.unique] if len(key) == 1} | relations
    indexes = []
    for index in table.indexes:
        if not all(name in fields for name in index) or (len(index) == 1 and index[0] in served):
            continue
        if [fields[name] for name in index] not in indexes:
            indexes.append([fields[name] for name in index])
    return indexes


def foreign_key(relationship, column, tables, targets, taken):
    """A ForeignKey (OneToOneField) whose column keeps the Access column's name in snake case."""
    column_name = python_name(column.name)
    field = unique_name(column_name.removesuffix("_id") if column_name.endswith("_id") else column_name, taken)
    taken.add(f"{field}_id")
    referenced = tables[relationship.referenced_table]
    kind = "OneToOneField" if relationship.flags & ONE_TO_ONE else "ForeignKey"
    on_delete = "models.CASCADE" if relationship.flags & DELETE_CASCADE else "models.PROTECT"
    verbose_name = literal(column.properties.get("Caption") or column.name)
    arguments = ["<model>", on_delete, f"verbose_name={verbose_name}", f"db_column={literal(column_name)}"]
    if not has_id_key(referenced) or relationship.referenced_column != referenced.primary_key[0]:
        arguments.append("to_field=<to_field>")
    if targets.count(relationship.referenced_table) > 1:
        # Two relations to one table need their own names for the way back.
        arguments.append(f"related_name={literal(python_name(relationship.table) + '_by_' + field)}")
    if not column.required:
        arguments += ["null=True", "blank=True"]
    arguments += help_text(column)
    return {
        "field": field,
        "references": relationship.referenced_table,
        "to_column": relationship.referenced_column,
        "declaration": f"models.{kind}({', '.join(arguments)})",
    }
