"""An UpdateItem's update expression parsed once per expression, and validated once per call.

moto 5.2.5 parses the update expression of every UpdateItem twice (``DynamoHandler.update_item``
to list the names and values it uses, ``DynamoDBBackend.update_item`` again "to get validation
errors"), tokenising it and descending it with a parser object per clause; for an item that does
not exist yet it also validates it twice (ten passes over a deep copy of the tree each): once on
an empty item "before creating anything", and again once the item is stored. And it deep-copies
the item before every update, for a stream record, whether or not the table has a stream. For a
new item that was 4-5 ms of the emulator's CPU, about 2 ms for the others, paid by every write of
an application that records each step of its work on one item.

Replaced:

* ``UpdateExpressionParser.make``: the tree of an expression string is kept (bounded). No one
  changes it: the request handler reads it (``find_clauses``), and moto's validation works on its
  own deep copy (made as it starts), which is the one normalised and executed. An expression
  that does not parse raises each time, with the same error (nothing is kept for it).
* ``DynamoDBBackend.update_item``: moto's own steps in moto's order, with two differences. The
  item is deep-copied only for a table with a stream (the copy is the stream's old image). And
  for a new item, the validation on the empty item is also the one applied when no
  ``if_not_exists`` is in the expression: an empty item has nothing to read, so an expression that
  passed on it read no attribute (a read of a missing one fails, outside ``if_not_exists``), and
  the second validation, on the item holding only its key, would give the same tree (a path
  naming a key attribute is refused whatever the item holds). With ``if_not_exists`` in it, the
  item is validated again as moto does, should that refusal ever change.

Errors are moto's: the same parse and validation passes run, in the same order.
``dynamodb_atomic_writes`` wraps the replaced ``update_item`` in its lock (installed after this).
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

from moto.dynamodb.comparisons import create_condition_expression_parser, get_expected
from moto.dynamodb.exceptions import ConditionalCheckFailed, ItemSizeTooLarge, ItemSizeToUpdateTooLarge
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.parsing.ast_nodes import UpdateExpressionFunction
from moto.dynamodb.parsing.executors import UpdateExpressionExecutor
from moto.dynamodb.parsing.expressions import UpdateExpressionParser
from moto.dynamodb.parsing.validators import UpdateExpressionValidator

# Distinct update expressions an application sends: a few dozen; bounded all the same.
MAX_EXPRESSIONS = 4096

_moto_make = UpdateExpressionParser.make.__func__  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=MAX_EXPRESSIONS)
def parsed(expression: str) -> Any:
    """The tree of ``expression``, shared: read it, or deep-copy it before changing it."""
    return _moto_make(UpdateExpressionParser, expression)


def _make(cls: type, expression: str) -> Any:
    if cls is UpdateExpressionParser:
        return parsed(expression)
    return _moto_make(cls, expression)


def _reads_maybe_key(tree: Any) -> bool:
    """True where the expression may read an attribute of an item that holds only its key."""
    return any(function.get_function_name() == "if_not_exists"
               for function in _functions(tree))


def _functions(node: Any) -> list[Any]:
    found = []
    for child in getattr(node, "children", None) or []:
        if isinstance(child, UpdateExpressionFunction):
            found.append(child)
        found.extend(_functions(child))
    return found


def update_item(
    self: DynamoDBBackend,
    table_name: str,
    key: dict[str, dict[str, Any]],
    update_expression: str,
    expression_attribute_names: dict[str, Any],
    expression_attribute_values: dict[str, Any],
    attribute_updates: dict[str, Any] | None = None,
    expected: dict[str, Any] | None = None,
    condition_expression: str | None = None,
    return_values_on_condition_check_failure: str | None = None,
) -> Item:
    # moto's DynamoDBBackend.update_item, step by step; the changes are marked "Changed".
    table = self.get_table(table_name)

    if update_expression:
        update_expression_ast = parsed(update_expression)
        update_expression = re.sub(r"\s*([=\+-])\s*", "\\1", update_expression)

    if all([table.hash_key_attr in key, table.range_key_attr in key]):
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr])  # type: ignore[index]
    elif table.hash_key_attr in key:
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = None
    else:
        hash_value = DynamoType(key)
        range_value = None

    item = table.get_item(hash_value, range_value)
    # Changed: the old image is wanted by a stream only.
    orig_item = copy.deepcopy(item) if table.stream_shard is not None else None

    if not expected:
        expected = {}

    if not get_expected(expected).expr(item):
        raise ConditionalCheckFailed
    condition_op = create_condition_expression_parser(
        condition_expression, expression_attribute_names, expression_attribute_values).parse()
    if not condition_op.expr(item):
        if return_values_on_condition_check_failure == "ALL_OLD" and item is not None:
            raise ConditionalCheckFailed(item=item.to_json()["Attributes"])
        raise ConditionalCheckFailed

    validated_ast = None
    if item is None:
        if update_expression:
            # Validate before creating anything (moto's comment and step).
            validated_ast = UpdateExpressionValidator(
                update_expression_ast,
                expression_attribute_names=expression_attribute_names,
                expression_attribute_values=expression_attribute_values,
                item=Item(hash_value, range_value, attrs={}),
                table=table,
            ).validate()
            # Changed: kept where the stored item (its key only) would validate the same.
            if _reads_maybe_key(update_expression_ast):
                validated_ast = None
        data: dict[str, Any] = {table.hash_key_attr: {hash_value.type: hash_value.value}}
        if range_value:
            data.update({table.range_key_attr: {range_value.type: range_value.value}})  # type: ignore[dict-item]
        table.put_item(data)
        item = table.get_item(hash_value, range_value)

    if attribute_updates:
        item.validate_no_empty_key_values(attribute_updates, table.attribute_keys)  # type: ignore[union-attr]

    if update_expression:
        if validated_ast is None:
            validated_ast = UpdateExpressionValidator(
                update_expression_ast,
                expression_attribute_names=expression_attribute_names,
                expression_attribute_values=expression_attribute_values,
                item=item,  # type: ignore[arg-type]
                table=table,
            ).validate()
        validated_ast.normalize()
        try:
            UpdateExpressionExecutor(validated_ast, item, expression_attribute_names).execute()  # type: ignore[arg-type]
        except ItemSizeTooLarge:
            raise ItemSizeToUpdateTooLarge()
    else:
        item.update_with_attribute_updates(attribute_updates)  # type: ignore[union-attr]
    if table.stream_shard is not None:
        table.stream_shard.add(orig_item, item)
    return item  # type: ignore[return-value]


def install() -> None:
    if getattr(DynamoDBBackend.update_item, "__harness_atomic__", False):
        raise RuntimeError("install before dynamodb_atomic_writes: its lock wraps this update_item")
    UpdateExpressionParser.make = classmethod(_make)  # type: ignore[method-assign,assignment]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]
