"""Circulation, hold and fine rules → our rules table; floating groups → float groups."""

from __future__ import annotations

from onelibrary.evergreen.mapping import RuleDraft, circ_rule, hold_rule, is_true
from onelibrary.evergreen.run import Kind, Run
from onelibrary.floating.models import FloatGroup
from onelibrary.policy.models import CirculationRule


def load_rules(run: Run) -> None:
    dump = run.dump
    profiles = {r["id"] or "": r["name"] or "" for r in dump.rows("permission.grp_tree")}
    durations = {k: r.values for k, r in dump.by_id("config.rule_circ_duration").items()}
    fines = {k: r.values for k, r in dump.by_id("config.rule_recurring_fine").items()}
    caps = {k: r.values for k, r in dump.by_id("config.rule_max_fine").items()}
    used: set[str] = set()
    for row in dump.rows("config.circ_matrix_matchpoint"):
        draft, notes = circ_rule(
            row.values,
            durations=durations,
            fines=fines,
            max_fines=caps,
            profiles=profiles,
            places=run.places,
        )
        if draft is not None:
            used.update(filter(None, [row["duration_rule"], row["recurring_fine_rule"]]))
            used.update(filter(None, [row["max_fine_rule"]]))
        _save(run, Kind.CIRC_RULE, row["id"] or "", draft, notes)
    for row in dump.rows("config.hold_matrix_matchpoint"):
        draft, notes = hold_rule(row.values, profiles=profiles, places=run.places)
        _save(run, Kind.HOLD_RULE, row["id"] or "", draft, notes)
    group_default = CirculationRule.objects.filter(
        library=None, patron_category="", item_type="", collection=""
    )
    if not group_default.exists():
        run.skip(
            "config.circ_matrix_matchpoint: no rule for everyone in the whole consortium came "
            "over (Evergreen's own default is seed data, not in the dump); set the group "
            "default rule before the first checkout or hold"
        )
    for table, rows in (
        ("config.rule_circ_duration", durations),
        ("config.rule_recurring_fine", fines),
        ("config.rule_max_fine", caps),
    ):
        unused = sorted((k for k in rows if k not in used), key=int)
        if unused:
            run.skip(
                f"{table} ids {', '.join(unused)}: used by no rule carried over; "
                "open loans keep their own terms"
            )


def _save(run: Run, kind: str, eid: str, draft: RuleDraft | None, notes: list) -> None:
    for note in notes:
        run.skip(note)
    if draft is None:
        return
    run.mapped["rules"] += 1
    if run.keys.get(kind, eid) is not None:
        return
    rule = CirculationRule.objects.create(
        name=draft.name[:200],
        library=run.library_of(draft.library) if draft.library else None,
        patron_category=draft.patron_category,
        item_type=draft.item_type,
        loan_days=draft.loan_days,
        renewals_allowed=draft.renewals_allowed,
        fine_per_day=draft.fine_per_day,
        fine_cap=draft.fine_cap,
        max_holds=draft.max_holds,
        holdable=draft.holdable,
    )
    run.keys.remember(kind, [(eid, rule.pk)])
    run.created["rules"] += 1


def load_floating(run: Run) -> None:
    members = run.dump.rows("config.floating_group_member")
    for group in run.dump.rows("config.floating_group"):
        eid = group["id"] or ""
        where = f"config.floating_group id {eid} ({group['name']})"
        libraries = []
        for member in members:
            if member["floating_group"] != eid:
                continue
            library = run.library_of(member["org_unit"])
            line = f"config.floating_group_member id {member['id']}"
            if is_true(member["exclude"]):
                run.skip(f"{line}: excludes org unit {member['org_unit']}; ours only include")
            elif library is None:
                run.skip(f"{line}: org unit {member['org_unit']} is not a member library")
            else:
                libraries.append(library)
                if member["org_unit"] in run.branches:
                    run.skip(f"{line}: names a branch; ours float among whole libraries")
                if member["stop_depth"] is not None or member["max_depth"] is not None:
                    run.skip(
                        f"{line}: stop depth {member['stop_depth']} and max depth "
                        f"{member['max_depth']} have no place; the group is its whole libraries"
                    )
        if is_true(group["manual"]):
            run.skip(f"{where}: 'manual' (float only when staff say) has no place")
        if not libraries:
            run.skip(f"{where}: no member library, so not carried over")
            continue
        floating = sum(1 for c in run.dump.rows("asset.copy") if c["floating"] == eid)
        run.skip(
            f"{where}: {floating} copies float in it; ours float by a member's rule, so no "
            "float rule was made; members choose what floats in it"
        )
        run.mapped["float_groups"] += 1
        if run.keys.get(Kind.FLOAT_GROUP, eid) is not None:
            continue
        found = FloatGroup.objects.create(code=f"evergreen-{eid}", name=group["name"] or eid)
        found.libraries.set(libraries)
        run.keys.remember(Kind.FLOAT_GROUP, [(eid, found.pk)])
        run.created["float_groups"] += 1
