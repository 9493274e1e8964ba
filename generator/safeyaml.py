"""Strict, safe YAML for contributor-edited files.

PyYAML's safe loader still guesses types (`2401.10000` becomes a float, `no` becomes False) and
accepts anchors and duplicate keys. Here every scalar stays a string unless it is a plain integer
or null, anchors, aliases and explicit tags are refused, duplicate keys are reported, and every
mapping and list remembers the line of each item so errors can name it.
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Problem

_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"


class _Resolver(yaml.resolver.BaseResolver):
    pass


_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, yaml.constructor.BaseConstructor, _Resolver):
    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.BaseConstructor.__init__(self)
        _Resolver.__init__(self)


# Where libyaml accepts what the pure-Python parser refuses (a tab between tokens, "|#" block
# headers, a byte-order mark inside the text), the pure-Python parser decides alone.
_LIBYAML_DIFFERS = re.compile("[\t\ufeff]|[|>]#")

if yaml.__with_libyaml__:
    class _FastLoader(yaml.cyaml.CParser, yaml.constructor.BaseConstructor, _Resolver):
        """libyaml's parser with the same resolver: about twenty times faster than _Loader
        (labels.yml, 1.5 MB: 0.3 s instead of 5.5 s at every build)."""

        def __init__(self, stream: str):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            _Resolver.__init__(self)
else:  # PyYAML built without libyaml
    _FastLoader = _Loader


class LineDict(dict):
    """A mapping that knows the line of each key (1-based)."""

    line: int = 0
    lines: dict[str, int]


class LineList(list):
    """A list that knows the line of each item (1-based)."""

    line: int = 0
    lines: list[int]


def load(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; returns (data, problems). Data is None when it cannot be read."""
    if not _LIBYAML_DIFFERS.search(text[1:]):
        try:
            return _load(text, file, _FastLoader)
        except yaml.YAMLError:  # reported in the pure-Python parser's words, which name the problem better
            pass
    try:
        return _load(text, file, _Loader)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(file, line, f"invalid YAML: character #x{exc.character:04x} is not allowed; remove it")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(file, _line(mark), f"invalid YAML: {reason}; check the indentation and quoting")]


def _load(text: str, file: str, loader: type) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.append(Problem(file, _line(event.start_mark),
                                    "YAML anchors and aliases are not allowed: write the value out"))
        elif getattr(event, "tag", None) == "!":  # the parsers resolve a bare "!" differently
            problems.append(Problem(file, _line(event.start_mark), "YAML tag '!' is not allowed: remove it"))
    if problems:
        return None, problems
    node = loader(text).get_single_node()
    if node is None:
        return None, []
    return _convert(node, file, problems), problems


def _line(mark) -> int:
    return mark.line + 1 if mark is not None else 0


_PLAIN_TAGS = {ScalarNode: (_STR, _INT, _NULL), SequenceNode: ("tag:yaml.org,2002:seq",),
               MappingNode: ("tag:yaml.org,2002:map",)}


def _convert(node, file: str, problems: list[Problem]) -> Any:
    line = _line(node.start_mark)
    if node.tag not in _PLAIN_TAGS[type(node)]:
        problems.append(Problem(file, line, f"YAML tag {node.tag!r} is not allowed: remove it"))
    if isinstance(node, ScalarNode):
        if node.tag == _INT:
            return int(node.value)
        return None if node.tag == _NULL else node.value
    if isinstance(node, SequenceNode):
        items = LineList(_convert(child, file, problems) for child in node.value)
        items.line, items.lines = line, [_line(child.start_mark) for child in node.value]
        return items
    assert isinstance(node, MappingNode)
    mapping = LineDict()
    mapping.line, mapping.lines = line, {}
    for key_node, value_node in node.value:
        key = _convert(key_node, file, problems)
        key_line = _line(key_node.start_mark)
        if not isinstance(key, str):
            problems.append(Problem(file, key_line, f"key {key!r} must be text"))
            key = str(key)
        if key in mapping:
            problems.append(Problem(file, key_line, f"duplicate key '{key}' (first on line "
                                    f"{mapping.lines[key]}): keep one"))
            continue
        mapping[key] = _convert(value_node, file, problems)
        mapping.lines[key] = key_line
    return mapping


def dump(data: Any) -> str:
    """Serialise plain data deterministically (sorted keys, unicode kept, no line folding)."""
    # libyaml's emitter (CSafeDumper) writes the same YAML as the pure-Python one, about ten times faster.
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=True, allow_unicode=True, width=1_000_000)
