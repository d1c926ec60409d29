"""The first known answers, and the "Technical staff" group (docs/helpdesk.md).

The answers are a start: technical staff edit them, and add more, in the admin. The
group is who triages reports (members.access.TECHNICAL_STAFF); it starts empty.
"""

from django.db import migrations

TECHNICAL_STAFF = "Technical staff"  # members.access.TECHNICAL_STAFF, as it was here

ANSWERS = [
    (
        "slip-printer-prints-nothing",
        "The slip printer prints nothing",
        "printer, slip, receipt, print, prints, paper, jam, blinking, light, orange",
        """Slips (transit, hold and receipt slips) open in a new tab and are printed by the
browser, so the printer is the computer's, not OneLibrary's.

1. Look at the printer: is its light green? A blinking orange or red light usually
   means it is out of paper, the lid is open, or paper is stuck.
2. Open the lid, take out any crumpled paper, put the roll back with the paper coming
   off the bottom, and close the lid until it clicks.
3. Print the slip again from the scan line's **Print slip** link.
4. If the printer's light is green and still nothing comes out, tell us which computer
   it is attached to and what the browser's print window said.

Nothing is lost while the printer is out: the scan line stays on the check-in page,
and its slip can be printed later.""",
    ),
    (
        "scanner-adds-characters",
        "The barcode scanner adds extra characters",
        "scanner, barcode, extra characters, adds characters, wrong number, letters, "
        "prefix, suffix, enter, typed twice",
        """When the barcode field shows more than the number on the label — a letter at
the start or the end, the number twice, or the page submits before the scan ends — the
scanner is sending a *prefix*, a *suffix* or an extra Enter.

1. Scan the same barcode into a plain text editor (Notepad) and compare it with the
   number printed under the bars.
2. If something is added, the scanner's settings changed (a scanner can be
   reprogrammed by scanning a setup barcode from its manual, sometimes by accident).
3. Scan the **restore factory defaults** barcode in the scanner's quick-start guide,
   then the **Enter suffix** barcode. The desk needs exactly the number followed by
   Enter.
4. If you do not have the guide, report the problem with the scanner's make and model
   (on the label underneath) and what Notepad showed.

Until then, type the number from the label; the desk accepts a typed barcode the same
as a scanned one.""",
    ),
    (
        "branch-isnt-yours",
        "The desk says the branch isn't yours",
        "not your branch, branch isn't yours, you do not work for, cannot work its desk, "
        "change branch, wrong branch, desk",
        """The desk works for one branch at a time: the one shown at the top of the desk
pages, after **Working at**. A message such as *"You do not work for Riverton City
Library, so you cannot work its desk at Riverton Main"* means the desk is set to a
branch of a library your account does not work for.

1. Select **Change** beside *Working at* and choose your own branch.
2. If your branch is not in the list, your account has no staff role at your library
   yet (a new account, or a role that changed). Your library admin gives roles, in the
   admin under **Staff roles**.
3. If you work at two libraries, choose the branch of the library whose desk you are at.

Nothing was checked in or out by the refused scan; it is kept under **Unprocessed
scans** until someone marks it dealt with.""",
    ),
    (
        "courier-crate-missing",
        "A courier crate is missing",
        "crate, courier, missing, didn't arrive, did not arrive, van, transit, lost, late, "
        "expected",
        """A crate that was shipped to you and has not arrived shows on **Crates →
Expected** until it is received, and on **Crates → Late** once it is two days past its
expected day.

1. Check the other crates that came on the van: crates are sometimes stacked inside
   each other or left at the wrong stop.
2. Look at the crate's page (from *Expected* or *Late*) for the branch that shipped it
   and when; call or write to them (the **Directory** has their contacts).
3. If it is still missing past the threshold, staff at either end can declare its items
   missing in transit from the **Late** page. If it turns up later, scanning it in at the
   desk finds it and undoes that.

If the van itself did not come, that is a courier schedule question for the central
office, not a missing crate.""",
    ),
    (
        "something-went-wrong",
        "The page says “Something went wrong on our side”",
        "something went wrong, went wrong, 500, server error, on our side",
        """This page means OneLibrary itself failed, not anything you did. The error was
logged for technical staff.

1. Wait a minute and try again: most of these pass.
2. If it happens again, use **Report a problem** on that page: it fills in the page and
   the time, which is what technical staff need to find the error in the log.
3. Say what you did just before (which button, which barcode): that lets them repeat it.""",
    ),
    (
        "locked-out-of-login",
        "I can't log in, or the login page says I'm locked out",
        "log in, login, password, locked out, lockout, locked, cannot log in, can't log in",
        """After several failed logins in a row, an account (or a computer) is locked for
a while, so that nobody can guess passwords. Wait for the time the login page gives,
then try again, slowly; check Caps Lock.

If you have forgotten your password, your library admin or the central office can set a
new one. If everyone at a branch is locked out at once, report it: it may be the
network, not the passwords.""",
    ),
]


def seed(apps, schema_editor):
    Article = apps.get_model("helpdesk", "Article")
    Group = apps.get_model("auth", "Group")
    for slug, title, keywords, body in ANSWERS:
        Article.objects.get_or_create(
            slug=slug, defaults={"title": title, "keywords": keywords, "body": body}
        )
    Group.objects.get_or_create(name=TECHNICAL_STAFF)


def unseed(apps, schema_editor):
    Article = apps.get_model("helpdesk", "Article")
    Article.objects.filter(slug__in=[slug for slug, *_ in ANSWERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
