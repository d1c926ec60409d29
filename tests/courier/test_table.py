"""The table agrees with the pure function, and the pure function with networkx on
reachability (docs/courier.md, "The table")."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from onelibrary.courier.schedule import (
    BranchCalendar,
    HubSpec,
    Network,
    RouteSpec,
    StopSpec,
    expected,
)
from onelibrary.courier.table import NO_ROUTE, build

FIRST = dt.date(2026, 3, 2)
HORIZON = 21
week = st.text(alphabet="01", min_size=7, max_size=7)


@st.composite
def networks(draw, *, every_day: bool = False) -> Network:
    n = draw(st.integers(2, 9))
    hub_codes = [f"H{i}" for i in range(draw(st.integers(0, 3)))]
    branches = {}
    for b in range(1, n + 1):
        closed = (
            frozenset()
            if every_day
            else frozenset(
                FIRST + dt.timedelta(days=d)
                for d in draw(st.lists(st.integers(-3, HORIZON + 20), max_size=4))
            )
        )
        opening = "1111111" if every_day else draw(week)
        branches[b] = BranchCalendar(b, f"B{b}", opening, closed)
    hubs = {h: HubSpec(h, h, 0 if every_day else draw(st.integers(0, 3))) for h in hub_codes}
    routes = []
    for r in range(draw(st.integers(0, 5))):
        stops = draw(st.lists(st.integers(1, n), unique=True, max_size=4))
        route_hubs = (
            draw(st.lists(st.sampled_from(hub_codes), unique=True, min_size=1)) if hub_codes else []
        )
        routes.append(
            RouteSpec(
                f"R{r}",
                tuple(StopSpec(b, "1111111" if every_day else draw(week)) for b in stops),
                tuple(route_hubs),
                "1111111" if every_day else draw(week),
            )
        )
    return Network(branches=branches, hubs=hubs, routes=tuple(routes))


@settings(max_examples=150, deadline=None)
@given(network=networks(), data=st.data())
def test_the_table_agrees_with_the_function(network, data):
    table = build(network, FIRST, horizon=HORIZON)
    ids = sorted(network.branches)
    for _ in range(25):
        sender = data.draw(st.sampled_from(ids))
        receiver = data.draw(st.sampled_from(ids))
        on = FIRST + dt.timedelta(days=data.draw(st.integers(0, HORIZON - 1)))
        assert table.days(sender, receiver, on) == expected(network, sender, receiver, on).days


@settings(max_examples=30, deadline=None)
@given(network=networks())
def test_the_matrix_is_the_table_for_one_date(network):
    table = build(network, FIRST, horizon=HORIZON)
    on = FIRST + dt.timedelta(days=5)
    matrix = table.matrix(on)
    for i, sender in enumerate(table.branch_ids):
        for j, receiver in enumerate(table.branch_ids):
            value = table.days(sender, receiver, on)
            assert matrix[i, j] == (NO_ROUTE if value is None else value)


def reachable_by_graph(network: Network, sender: int, receiver: int) -> bool:
    """Items change vans only at hubs: a path from the sender through routes and hubs,
    never through another branch."""
    graph = nx.Graph()
    graph.add_nodes_from([("branch", sender), ("branch", receiver)])
    for route in network.routes:
        for stop in route.stops:
            if stop.branch_id in (sender, receiver):
                graph.add_edge(("branch", stop.branch_id), ("route", route.code))
        for hub in route.hubs:
            graph.add_edge(("route", route.code), ("hub", hub))
    return nx.has_path(graph, ("branch", sender), ("branch", receiver))


@settings(max_examples=150, deadline=None)
@given(network=networks(every_day=True))
def test_with_every_day_served_it_reaches_what_the_graph_reaches(network):
    for sender in network.branches:
        for receiver in network.branches:
            answer = expected(network, sender, receiver, FIRST)
            if sender == receiver:
                assert answer.days == 0
                continue
            assert answer.reachable == reachable_by_graph(network, sender, receiver)


@settings(max_examples=150, deadline=None)
@given(network=networks(every_day=True))
def test_with_every_day_served_and_free_transfers_days_follow_the_shortest_path(network):
    """Every van runs daily and hubs cost nothing. A van picks up today and delivers
    tomorrow (1 day); changing vans at a hub the same night adds nothing; each trunk leg
    between two hubs adds a day. In the graph branch-route-hub-…-route-branch a path of
    2 or 4 edges is 1 day, 6 edges 2 days, and so on."""
    for sender in network.branches:
        for receiver in network.branches:
            answer = expected(network, sender, receiver, FIRST)
            if sender == receiver or not answer.reachable:
                continue
            graph = nx.Graph()
            for route in network.routes:
                for stop in route.stops:
                    if stop.branch_id in (sender, receiver):
                        graph.add_edge(("branch", stop.branch_id), ("route", route.code))
                for hub in route.hubs:
                    graph.add_edge(("route", route.code), ("hub", hub))
            edges = nx.shortest_path_length(graph, ("branch", sender), ("branch", receiver))
            assert answer.days == max(1, edges // 2 - 1)


@settings(max_examples=30, deadline=None)
@given(network=networks())
def test_the_bulk_lookup_is_the_table_for_many_pairs(network):
    table = build(network, FIRST, horizon=HORIZON)
    on = FIRST + dt.timedelta(days=3)
    ids = [*sorted(network.branches), 999]  # 999: a branch the table does not know
    senders = np.array([s for s in ids for _ in ids])
    receivers = np.array([r for _ in ids for r in ids])
    found = table.days_for(senders, receivers, on).tolist()
    for sender, receiver, days in zip(senders.tolist(), receivers.tolist(), found, strict=True):
        if 999 in (sender, receiver):
            assert days == -1
            continue
        value = table.days(sender, receiver, on)
        assert days == (-1 if value is None else value)
