"""The CQL parser (interop/cql.py): plain data in and out, no database."""

from __future__ import annotations

import pytest

from onelibrary.interop.cql import Boolean, CqlSyntaxError, Term, parse


def test_a_bare_word_searches_the_servers_choice():
    assert parse("dune") == Term("cql.serverchoice", "=", "dune")


def test_an_index_a_relation_and_a_quoted_term():
    assert parse('dc.Title = "dune messiah"') == Term("dc.title", "=", "dune messiah")
    assert parse("title any 'x'") == Term("title", "any", "'x'")
    assert parse('author all "Herbert \\"Frank\\""') == Term("author", "all", 'Herbert "Frank"')


def test_booleans_read_left_to_right_and_parentheses_group():
    assert parse("a and b or c") == Boolean(
        "or",
        Boolean("and", Term("cql.serverchoice", "=", "a"), Term("cql.serverchoice", "=", "b")),
        Term("cql.serverchoice", "=", "c"),
    )
    grouped = parse("title=dune NOT (author=herbert or subject=sand)")
    assert grouped == Boolean(
        "not",
        Term("title", "=", "dune"),
        Boolean("or", Term("author", "=", "herbert"), Term("subject", "=", "sand")),
    )


def test_relation_words_are_search_terms_where_no_term_follows():
    assert parse("any") == Term("cql.serverchoice", "=", "any")
    assert parse("adj and dune") == Boolean(
        "and", Term("cql.serverchoice", "=", "adj"), Term("cql.serverchoice", "=", "dune")
    )


def test_modifiers_and_prox_are_read_for_the_server_to_refuse():
    assert parse("title =/stem dune") == Term("title", "=", "dune", ("stem",))
    assert parse("a prox/distance<3 b").modifiers == ("distance<3",)
    assert parse("isbn > 5") == Term("isbn", ">", "5")


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("(dune", "not closed"),
        ("dune)", r"Unexpected '\)'"),
        ("title =", "ends too early"),
        ("dune and", "ends too early"),
        ("= dune", "Expected a search term"),
        ("dune messiah", "Unexpected 'messiah'"),
        ('title = "unterminated', "Unexpected"),
    ],
)
def test_what_is_not_cql_says_where(query, says):
    with pytest.raises(CqlSyntaxError, match=says):
        parse(query)
