"""What the patrons part (and the whole-record work in `records/`) tells the parts above
it, which it cannot import. Each receiver is connected in its app's `ready()`.

`history_withdrawn(patron)`: the patron withdrew the loan-history opt-in. Circulation,
which keeps loans, cuts their link to the patron's returned loans and answers how many.
`exporting(patron)`: a patron's data is being exported; each receiver answers a dict of
the sections it keeps (the account: login attempts).
`erasing(patron)`: the record is being erased; each receiver forgets what it keeps about
the patron (the account: the PIN and the login attempts with the card).
"""

from django.dispatch import Signal

history_withdrawn = Signal()
exporting = Signal()
erasing = Signal()
